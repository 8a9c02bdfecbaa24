# syntax=docker/dockerfile:1
# Builds the portal (cmd/web) only: the emulator and the ID-porten double never enter this image.
FROM golang:1.27.3-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /out/innboks ./cmd/web && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/innboks /innboks
# The embedded store (DATA_DIR); mount a volume here, or set DATABASE_URL.
COPY --from=build --chown=65532:65532 /out/data /data
USER nonroot:nonroot
EXPOSE 8080
ENV LISTEN_ADDR=:8080 DATA_DIR=/data
ENTRYPOINT ["/innboks"]
