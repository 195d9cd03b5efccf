# soop-alerts container image.
# Build stage: installs every dependency (compiling better-sqlite3's native addon when no prebuilt
# binary matches), compiles TypeScript to dist/ with `npm run build`, then drops dev dependencies.
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
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATABASE_PATH=/data/soop-alerts.db \
    HTTP_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# No curl in slim images: node itself asks /healthz (HTTP_PORT=0 turns the endpoint, and so this check, off).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The app handles SIGTERM itself (flushes the outbox within its deadline), so node can be PID 1.
CMD ["node", "dist/main.js"]
