# soop-alerts container image.
# Build stage: installs every dependency (compiling better-sqlite3's native addon when no prebuilt
# binary matches), compiles TypeScript to dist/ with `npm run build`, then drops dev dependencies.
# `npm ci` skips lifecycle scripts because `prepare` (the build) needs src/, copied after it so
# that the dependency layer stays cached; better-sqlite3's own install script is then run alone.
# Runtime stage: dist/, production node_modules and package.json (for "type": "module"), run as the
# unprivileged `node` user, SQLite database on the /data volume.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# SOOP_ALERTS_CONTAINER=1: the endpoint listens on every interface of the container by default
# (compose publishes it on the host's loopback only), and with no token and nothing to watch the bot
# says so and waits instead of running the demo: an exit would be restarted, replaying it forever.
ENV NODE_ENV=production \
    SOOP_ALERTS_CONTAINER=1 \
    DATABASE_PATH=/data/soop-alerts.db \
    HTTP_PORT=8080 \
    HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# No curl in slim images: dist/healthcheck.js asks /healthz on the HTTP_PORT and HTTP_HOST the bot
# reads; with HTTP_PORT=0 (endpoint off) there is nothing to ask and it reports healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
# The app handles SIGTERM itself (flushes the outbox within its deadline), so node can be PID 1.
CMD ["node", "dist/main.js"]
