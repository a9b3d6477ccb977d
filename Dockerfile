# syntax=docker/dockerfile:1
# The admission webhook image: `node bin/shipshape.js serve`, production dependencies only, numeric
# non-root user, nothing written to the root filesystem (runs with readOnlyRootFilesystem: true).
#   docker build -t REGISTRY/shipshape:0.1.0 .        (or: buildah bud / podman build)
# docs/webhook.md ("Build the image") says how to push it and point webhook/ or the chart at it.
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim

# 1. Compile: all dependencies (tsc, esbuild), then dist/ (tsc output and the bundles).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own `prepare` (a build) runs below, once the sources are here.
# Behind a TLS-intercepting proxy, pass its CA: `--secret id=npm-ca,src=proxy-ca.pem` (optional).
RUN --mount=type=secret,id=npm-ca,required=false \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.mjs scripts/
COPY src src
RUN npm run build

# 2. Production dependencies only (no devDependencies, no install scripts).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm-ca,required=false \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. Runtime: the package as `npm pack` would ship it (bin, dist, schemas, rules, policies).
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /src/dist dist
COPY package.json ./
COPY bin bin
COPY schemas schemas
COPY rules rules
COPY policies policies
# 65532: the "nonroot" uid/gid of distroless images, the one webhook/base/deployment.yaml sets.
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["node", "/app/bin/shipshape.js"]
CMD ["serve", "--config=/etc/shipshape/config.yaml", "--cert-file=/etc/shipshape/tls/tls.crt", "--key-file=/etc/shipshape/tls/tls.key"]
