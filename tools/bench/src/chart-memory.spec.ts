import { quantityMiB } from './chart-memory';

describe('quantityMiB', () => {
  it.each([
    ['64Mi', 64],
    ['1Gi', 1024],
    ['512Ki', 0.5],
    ['1048576', 1],
    ['100M', 100e6 / 1024 ** 2],
  ])('reads %s as %d MiB', (quantity, mib) => {
    expect(quantityMiB(quantity)).toBeCloseTo(mib);
  });

  it('refuses what it cannot read rather than guess', () => {
    expect(() => quantityMiB('64 megabytes')).toThrow('not a memory quantity');
  });
});
