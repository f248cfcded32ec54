/**
 * Issue item 5, the images: each image's size, and the app's own layers above its base image
 * (image size minus base size: the bytes a deploy adds on a node that has the base already).
 */
import { docker } from '@sidecar/pod';

const BASE_NAME_FORMAT = '{{index .Config.Labels "org.opencontainers.image.base.name"}}';

export interface ImageSize {
  image: string;
  base: string;
  bytes: number;
  baseBytes: number;
  ownLayersBytes: number;
}

export async function measureImages(images: string[]): Promise<ImageSize[]> {
  const size = async (name: string) => {
    const bytes = await docker('image', 'inspect', '--format', '{{.Size}}', name).catch(() => {
      throw new Error(
        `image ${name} is not in the engine: run tools/bench/run.sh, which builds it`,
      );
    });
    return Number(bytes);
  };
  return Promise.all(
    images.map(async (image) => {
      // The base it was built FROM, as its Dockerfile labels it.
      const base = (await docker('image', 'inspect', '--format', BASE_NAME_FORMAT, image)).trim();
      const [bytes, baseBytes] = [await size(image), await size(base)];
      return { image, base, bytes, baseBytes, ownLayersBytes: bytes - baseBytes };
    }),
  );
}
