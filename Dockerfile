# syntax=docker/dockerfile:1
# One image for both roles (docs/deploy.md): `APP_ROLE=web` serves routes and webhook intake (`npm start`),
# `APP_ROLE=worker` runs jobs (`npm run worker`), unset (`all`) does both in one process on SQLite.
# Migrations: `docker run --rm -e DATABASE_URL=postgresql://… IMAGE npx prisma migrate deploy`.
# `npm run check:runtime` runs this file's runtime stage outside Docker (test/deploy/runtime-check.ts).

FROM node:22-bookworm-slim AS build
WORKDIR /app
# Everything `npm ci` reads: the lockfile's workspace, and what its postinstall (`prisma generate`) needs.
COPY package.json package-lock.json prisma.config.ts ./
COPY extensions/restock-date-block/package.json extensions/restock-date-block/
COPY app/db.url.ts app/db.postgresql.migrate.ts app/
COPY prisma prisma
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY extensions/restock-date-block/package.json extensions/restock-date-block/
COPY app/db.url.ts app/db.postgresql.migrate.ts app/
COPY prisma prisma
# No dev dependencies: the server and worker builds import only `dependencies`; prisma (the CLI) is one, for
# the postinstall's client generation and `prisma migrate deploy`. npm's cache stays in the build cache.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/build build
# SQLite in a container lives on a volume: DATABASE_URL=file:/data/backorders.sqlite (PostgreSQL needs none).
RUN mkdir -p /data && chown node:node /data
USER node
ENV PORT=3000 WORKER_HEALTH_PORT=3001
EXPOSE 3000 3001
# node itself, not npm, receives SIGTERM (graceful shutdown, SHUTDOWN_GRACE_MS); the role picks the entry.
CMD ["sh", "-c", "if [ \"$APP_ROLE\" = worker ]; then exec node build/worker/index.js; else exec node node_modules/@remix-run/serve/dist/cli.js build/server/index.js; fi"]
