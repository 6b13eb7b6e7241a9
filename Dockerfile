# syntax=docker/dockerfile:1
# The mlgate App (docs/app.md#deploy): Probot's server with its store in the /data volume (PGlite, one
# container) or in PostgreSQL (DATABASE_URL, several containers).
#   docker build -t mlgate-app .
#   docker run -p 3000:3000 -v mlgate-data:/data -e APP_ID=… -e PRIVATE_KEY=… -e WEBHOOK_SECRET=… mlgate-app

# Build: the App bundled into dist/app.js and its scoring worker into dist/scoring-worker.js
# (scripts/build.mjs), their dependencies left as imports.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here. esbuild's own install script
# (it checks the platform binary) runs through `npm rebuild`.
RUN npm ci --ignore-scripts && npm rebuild esbuild
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/
COPY src src
COPY action action
COPY app app
RUN node scripts/build.mjs

# Run: production dependencies and the bundle, as the unprivileged `node` user.
FROM node:24-slim
ENV NODE_ENV=production \
    MLGATE_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency needs an install script at run time; `prepare` would try to build.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/app.js /app/dist/app.js.map /app/dist/scoring-worker.js /app/dist/scoring-worker.js.map ./dist/
# Created and owned here, so that a new named volume mounted on /data is writable by `node`.
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Probot's server answers GET /ping with 200 PONG. The image has no curl: Node's fetch asks instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node as PID 1: the App handles SIGTERM itself (stops timers, waits for work, releases the store's lock).
CMD ["node", "dist/app.js"]
