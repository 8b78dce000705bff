# One image for every warmcast service; docker-compose.yml picks the entry point per service
# (`node --import tsx services/<x>/src/main.ts`). Sources run through tsx: no build step.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# The whole tree, then `npm ci`: a workspace install needs every workspace's package.json, and
# listing them one by one breaks the build each time a package is added (.dockerignore keeps
# node_modules, data and build output out of the context).
COPY . .
# dev dependencies stay: tsx runs the TypeScript sources at start-up
RUN npm ci --include=dev --no-audit --no-fund && npm cache clean --force
USER node
# kit HTTP server: /metrics /livez /readyz (WARMCAST_HTTP_PORT)
EXPOSE 9464
CMD ["node", "packages/cli/bin/warmcast.js", "--help"]
