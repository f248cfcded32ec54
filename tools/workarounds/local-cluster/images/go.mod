// The images the local cluster builds for itself: the Pod sandbox (pause), the smoke test's
// workload (hello-server), and the writer that packs each static binary into an image tarball.
// Separate from ../go.mod so that its libraries never shift the Kubernetes build's versions.
module sidecar.local/tools/workarounds/local-cluster/images

go 1.26.0

require github.com/google/go-containerregistry v0.22.1

require (
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
)
