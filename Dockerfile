# Production image: external PostgreSQL only (DATABASE_URL required), non-root. It holds the bundled server
# (dist/), the migrations and the two packages the bundle loads at run time (scripts/runtime-layout.mjs):
# no node_modules tree, no Prisma CLI, no embedded PostgreSQL.
#   docker build -t gongzhi .                                   # --build-arg NPM_REGISTRY=https://npm.internal/ for a mirror
#   docker run --rm -e DATABASE_URL=... gongzhi npm run db:migrate
#   docker run -p 4000:4000 -e DATABASE_URL=... -e JWT_SECRET=... gongzhi
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
ARG NPM_REGISTRY=https://registry.npmjs.org/
WORKDIR /app
# only the manifests: this layer (the slow one) is rebuilt when dependencies change, not on every source change
COPY package.json package-lock.json ./
RUN npm config set registry "$NPM_REGISTRY" \
 && npm ci --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM deps AS build
COPY prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
# what postinstall does: the Prisma client (no engine download) and the bundle; then the image's contents
RUN npm run db:generate && npm run build && node scripts/runtime-layout.mjs /runtime

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build --chown=node:node /runtime ./
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
