# Fairshare web client: server-rendered pages over the API's GraphQL.
#   docker build -f docker/web.Dockerfile -t fairshare-web .
# The council's colour is built into the stylesheet:
#   docker build -f docker/web.Dockerfile --build-arg FAIRSHARE_BRAND_COLOUR=#005ea5 .
FROM node:20-bookworm-slim AS build
WORKDIR /src/web
ARG FAIRSHARE_BRAND_COLOUR=#00625e
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN FAIRSHARE_BRAND_COLOUR="$FAIRSHARE_BRAND_COLOUR" npm run build \
    && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    FAIRSHARE_WEB_HOST=0.0.0.0 \
    FAIRSHARE_WEB_PORT=3000
COPY --from=build /src/web/package.json ./
COPY --from=build /src/web/node_modules ./node_modules
COPY --from=build /src/web/dist ./dist
COPY --from=build /src/web/views ./views
COPY --from=build /src/web/public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:3000/accessibility').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
