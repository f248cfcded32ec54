// Command image-from-binary writes a one-layer container image holding a single static binary
// as its entrypoint, in the `docker save` tarball format that `ctr images import` reads. The
// local cluster builds its pause and smoke-test images with it, with no Docker engine and no
// registry.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"io"
	"log"
	"os"
	"path"
	"runtime"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func main() {
	binary := flag.String("binary", "", "static executable to put into the image")
	entrypoint := flag.String("entrypoint", "", "absolute path of the executable inside the image (default /<binary name>)")
	reference := flag.String("image", "", "image name and tag, e.g. localhost/pause:1")
	user := flag.String("user", "65532:65532", "numeric uid:gid the entrypoint runs as")
	output := flag.String("output", "", "tarball to write")
	flag.Parse()
	if *binary == "" || *reference == "" || *output == "" {
		flag.Usage()
		os.Exit(2)
	}
	if *entrypoint == "" {
		*entrypoint = "/" + path.Base(*binary)
	}

	tag, err := name.NewTag(*reference)
	if err != nil {
		log.Fatalf("image name %q: %v", *reference, err)
	}
	content, err := os.ReadFile(*binary)
	if err != nil {
		log.Fatal(err)
	}
	layerTar, err := tarOfOneFile(*entrypoint, content)
	if err != nil {
		log.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	})
	if err != nil {
		log.Fatal(err)
	}

	image, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		log.Fatal(err)
	}
	configFile, err := image.ConfigFile()
	if err != nil {
		log.Fatal(err)
	}
	configFile = configFile.DeepCopy()
	configFile.OS = "linux"
	configFile.Architecture = runtime.GOARCH
	configFile.Config = v1.Config{Entrypoint: []string{*entrypoint}, User: *user}
	image, err = mutate.ConfigFile(image, configFile)
	if err != nil {
		log.Fatal(err)
	}
	if err := tarball.WriteToFile(*output, tag, image); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%s) to %s", tag, *entrypoint, *output)
}

// tarOfOneFile returns a layer holding one root-owned executable.
func tarOfOneFile(filePath string, content []byte) ([]byte, error) {
	var buffer bytes.Buffer
	writer := tar.NewWriter(&buffer)
	header := &tar.Header{Name: filePath[1:], Mode: 0o755, Size: int64(len(content)), Typeflag: tar.TypeReg}
	if err := writer.WriteHeader(header); err != nil {
		return nil, err
	}
	if _, err := writer.Write(content); err != nil {
		return nil, err
	}
	if err := writer.Close(); err != nil {
		return nil, err
	}
	return buffer.Bytes(), nil
}
