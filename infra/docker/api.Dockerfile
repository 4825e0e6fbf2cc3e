# The API image: built from the repository root by infra/stacks/api-stack.ts.
FROM public.ecr.aws/docker/library/node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts=false && npm cache clean --force

FROM public.ecr.aws/docker/library/node:22-bookworm-slim AS app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# node-postgres verifies the server certificate under PGSSLMODE=require; Aurora's is signed by the
# Amazon RDS certificate authorities, which Node does not trust by default.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY domain ./domain
COPY knowledge-base ./knowledge-base
COPY action-groups ./action-groups
COPY agents ./agents
COPY api ./api
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node

# The AgentCore Runtime entry point (`--target agentcore`, as infra/stacks/agentcore-stack.ts
# builds it): POST /invocations and GET /ping on 0.0.0.0:8080, linux/arm64.
FROM app AS agentcore
ENV AGENTCORE_PORT=8080
EXPOSE 8080
CMD ["node", "--import", "tsx", "api/agentcore/main.ts"]

# The API (the default target).
FROM app AS api
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
