import { PassThrough } from "node:stream";

import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

import { env } from "./env.server";
import { startWebProcess } from "./process/web.server";
import { allowLocalAdminFrame } from "./shopify/local-admin.server";
import { addDocumentResponseHeaders } from "./shopify.server";

// The embedded default (APP_ROLE unset): webhook jobs run in the app's own process (docs/decisions/0007-job-runner.md);
// APP_ROLE=web serves only, the jobs running in `npm run worker` (docs/decisions/0025-postgresql-queue.md).
if (env.NODE_ENV !== "test") startWebProcess();

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  allowLocalAdminFrame(responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    // Abort a stalled render a little after streamTimeout so rejected boundaries can flush.
    setTimeout(abort, streamTimeout + 1000);
  });
}
