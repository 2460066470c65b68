import type { LoaderFunctionArgs } from "@remix-run/node";

import { clock } from "../clock.server";
import db from "../db.server";
import { EXPORT_KINDS, exportCsv, type ExportKind } from "../services/admin/csv-export.server";
import { authenticate } from "../shopify.server";

// A resource route: the Analytics page fetches it with the session token and saves the file.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = params.kind as ExportKind;
  if (!EXPORT_KINDS.includes(kind))
    throw new Response(`Unknown export "${params.kind}": use backorders or lost-sales`, { status: 404 });
  const { filename, body } = exportCsv(db, session.shop, kind, new URL(request.url), clock.now());
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"` },
  });
};
