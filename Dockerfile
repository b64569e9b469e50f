# syntax=docker/dockerfile:1
#
# thehive-portal container image: a static binary on an empty base, running
# as a non-root user, with a health check.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t thehive-portal .
#   docker run -p 8080:8080 --env-file portal.env thehive-portal
#
# Configuration: the PORTAL_* variables, and optionally a file mounted at
# /etc/thehive-portal/config.yaml and passed with `serve --config`. See
# deploy/ for Kubernetes and compose examples.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# Modules first, in their own layer: it is rebuilt only when go.mod or
# go.sum change.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/thehive-portal ./cmd/thehive-portal \
 && /out/thehive-portal version

# The runtime image holds the binary (templates and assets are embedded)
# and the CA certificates for TLS to TheHive, the identity provider, Redis
# and the mail server; nothing else: no shell, no package manager.
# distroless/static:nonroot is an equivalent base.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/thehive-portal /thehive-portal
# 65532 is the conventional "nonroot" user of minimal images.
USER 65532:65532
# The portal's address; like every PORTAL_* variable it overrides the
# config file, and the health check below reads it to find the port.
ENV PORTAL_LISTEN=:8080
# 8080: the portal. 9090: the admin listener (metrics, explain), only when
# admin.listen is set in the config; never publish it.
EXPOSE 8080 9090
# No shell or curl here: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/thehive-portal", "healthcheck"]
ENTRYPOINT ["/thehive-portal"]
CMD ["serve"]
