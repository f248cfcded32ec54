import { invalidNameReason } from './service-name';

describe('the new service name', () => {
  it.each(['acme', 'orders-api', 'a1', 'x'.repeat(40)])('accepts %s', (name) => {
    expect(invalidNameReason(name, 'sidecar')).toBeUndefined();
  });

  it.each([
    ['Acme', /not a DNS-1123 label/],
    ['acme_orders', /not a DNS-1123 label/],
    ['-acme', /not a DNS-1123 label/],
    ['acme-', /not a DNS-1123 label/],
    ['acme.io', /not a DNS-1123 label/],
    ['', /not a DNS-1123 label/],
    ['x'.repeat(41), /41 characters; the limit is 40/],
    ['sidecar', /already called "sidecar"/],
  ])('refuses %j', (name, reason) => {
    expect(invalidNameReason(name, 'sidecar')).toMatch(reason);
  });
});
