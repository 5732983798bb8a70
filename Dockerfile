# originmap: build the TypeScript once, ship only what runs (node, tcpdump, nmap).
# docker build -t originmap . && docker run --rm -v "$PWD:/data" originmap analyze /data/capture.pcap

FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 builds from source when no prebuilt binary matches: the toolchain lives only here.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY agent agent
COPY core core
COPY server server
COPY scripts scripts
COPY signatures signatures
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends tcpdump nmap iproute2 ca-certificates libcap2-bin \
  && setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/originmap
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY --from=build /src/signatures signatures
# The collector's numbered SQL migrations are read at start (server/db/migrate.ts).
COPY --from=build /src/server/db/migrations server/db/migrations
# Live capture: tcpdump holds CAP_NET_RAW itself (docker run --cap-add NET_RAW --net host …); node runs unprivileged.
RUN ln -s /opt/originmap/dist/agent/cli.js /usr/local/bin/originmap && chmod +x dist/agent/cli.js
USER node
ENTRYPOINT ["originmap"]
CMD ["--help"]
