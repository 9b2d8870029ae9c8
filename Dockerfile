# One image for every role; SOAR_ROLES picks what a container runs (api, ingestor, engine).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY scripts/register-paths.js scripts/register-paths.js
COPY rules rules
COPY playbooks playbooks
COPY reports reports
COPY libs/console/views libs/console/views
COPY libs/console/static libs/console/static
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "-r", "./scripts/register-paths.js", "dist/apps/api/src/main.js"]
