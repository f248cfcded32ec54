/**
 * Issue item 5, the images: each image's size, and the app's own layers above its base image
 * (image size minus base size: the bytes a deploy adds on a node that has the base already).
 */
import { docker } from '@sidecar/pod';

export interface ImageSize {
  image: string;
  base: string;
  sizeMiB: number;
  baseSizeMiB: number;
  ownLayersMiB: number;
}

const MIB = 1024 * 1024;

export async function measureImages(
  images: { image: string; base: string }[],
): Promise<ImageSize[]> {
  const size = async (name: string) => {
    const bytes = await docker('image', 'inspect', '--format', '{{.Size}}', name).catch(() => {
      throw new Error(
        `image ${name} is not in the engine: run tools/bench/run.sh, which builds it`,
      );
    });
    return Number(bytes) / MIB;
  };
  return Promise.all(
    images.map(async ({ image, base }) => {
      const [sizeMiB, baseSizeMiB] = [await size(image), await size(base)];
      return { image, base, sizeMiB, baseSizeMiB, ownLayersMiB: sizeMiB - baseSizeMiB };
    }),
  );
}
