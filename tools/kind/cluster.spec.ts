import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import { parse } from 'yaml';
import { fakePath } from '@sidecar/testkit';
import { fakeDocker } from './fake-docker';

/**
 * tools/kind/cluster.yaml as the kind CLI itself reads it. kind has no "validate" command, but
 * `kind create cluster` decodes the config strictly and validates it before it creates anything
 * (sigs.k8s.io/kind pkg/cluster/internal/create/create.go: load, then Validate, then
 * "Creating cluster"); with a fake Docker that refuses to create the network, it stops right there.
 */
const REPO_ROOT = join(__dirname, '../..');
const KIND = join(REPO_ROOT, '.cache/tools/bin/kind');
const CONFIG = join(__dirname, 'cluster.yaml');
const versions = parseEnv(readFileSync(join(REPO_ROOT, 'tools/versions.env')));

function kindCreate(config: string) {
  const path = fakePath({ docker: fakeDocker({ imagePresent: true }) });
  const result = spawnSync(
    KIND,
    [
      'create',
      'cluster',
      '--name',
      'config-check',
      '--image',
      versions.KIND_NODE_IMAGE ?? '',
      '--config',
      config,
    ],
    { env: { PATH: path.dir, HOME: path.dir }, encoding: 'utf8', timeout: 30_000 },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}`, calls: path.calls() };
}

function writeConfig(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kind-config-')), 'cluster.yaml');
  writeFileSync(file, text);
  return file;
}

describe('tools/kind/cluster.yaml', () => {
  it('passes kind’s strict decoding and validation, up to creating the node containers', () => {
    const { output, calls } = kindCreate(CONFIG);
    expect(output).toContain('Creating cluster "config-check" ...');
    // The first thing kind asks of Docker after validation; the fake refuses, so nothing is created.
    expect(output).toMatch(/failed to ensure docker network/);
    expect(calls.some((call) => / (run|create|pull) /.test(`${call} `))).toBe(false);
  });

  it('is rejected by kind when a field is misspelt (so the test above would notice)', () => {
    const broken = readFileSync(CONFIG, 'utf8').replace('extraPortMappings:', 'extraPortMapping:');
    const { status, output } = kindCreate(writeConfig(broken));
    expect(status).not.toBe(0);
    expect(output).toMatch(/field extraPortMapping not found/);
    expect(output).not.toContain('Creating cluster');
  });

  it('is rejected by kind when two mappings claim the same host port', () => {
    const config = parse(readFileSync(CONFIG, 'utf8'));
    const mapping = config.nodes[0].extraPortMappings[0];
    config.nodes[0].extraPortMappings.push({
      ...mapping,
      containerPort: mapping.containerPort + 1,
    });
    const { status, output } = kindCreate(writeConfig(JSON.stringify(config)));
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /port mapping with same listen address, port and protocol already configured/,
    );
  });

  it('publishes the chart’s NodePort on 127.0.0.1 only', () => {
    const config = parse(readFileSync(CONFIG, 'utf8'));
    const values = parse(readFileSync(join(__dirname, 'values.yaml'), 'utf8'));
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0].extraPortMappings).toEqual([
      {
        containerPort: values.service.nodePort,
        hostPort: expect.any(Number),
        listenAddress: '127.0.0.1',
        protocol: 'TCP',
      },
    ]);
    // The default NodePort range (https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport).
    expect(values.service.nodePort).toBeGreaterThanOrEqual(30000);
    expect(values.service.nodePort).toBeLessThanOrEqual(32767);
    expect(values.service.type).toBe('NodePort');
  });

  it('leaves the node image and the name to the scripts, which take them from tools/versions.env and KIND_CLUSTER', () => {
    const config = parse(readFileSync(CONFIG, 'utf8'));
    expect(config.name).toBeUndefined();
    expect(config.nodes[0].image).toBeUndefined();
    expect(versions.KIND_NODE_IMAGE).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  });
});
