/**
 * The chart's memory requests and limits for the two containers, as `helm template` renders them
 * with the default values (@sidecar/pod renderChartPod), for the report to hold against what the
 * containers used under the bench's load.
 */
import { renderChartPod } from '@sidecar/pod';
import type { ChartMemory } from './report';

const BINARY_SUFFIXES: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };
const DECIMAL_SUFFIXES: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9 };

/** A Kubernetes memory quantity (64Mi, 1Gi, 500M, 1048576) in MiB. */
export function quantityMiB(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]i|[kMG])?$/.exec(quantity.trim());
  if (!match) throw new Error(`not a memory quantity this bench reads: ${quantity}`);
  const value = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY_SUFFIXES) return value * (BINARY_SUFFIXES[suffix] as number);
  return (value * (DECIMAL_SUFFIXES[suffix] ?? 1)) / 1024 ** 2;
}

export function chartMemory(): Record<'api' | 'nginx', ChartMemory> {
  // The chart refuses to render without a token (of 16 characters at least); any will do here.
  const containers = renderChartPod({ 'auth.tokens[0]': 'x'.repeat(32) }).containers;
  const of = (name: 'api' | 'nginx'): ChartMemory => {
    const resources = containers.find((c) => c.name === name)?.resources;
    const request = resources?.requests?.memory;
    const limit = resources?.limits?.memory;
    if (!request || !limit)
      throw new Error(`the chart sets no memory request and limit for ${name}`);
    return { requestMiB: quantityMiB(request), limitMiB: quantityMiB(limit) };
  };
  return { api: of('api'), nginx: of('nginx') };
}
