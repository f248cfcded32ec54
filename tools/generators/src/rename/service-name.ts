/**
 * The new name becomes a Helm chart name, a release and namespace default, image names and an npm
 * scope, so it must be valid as all of them: a DNS-1123 label
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names),
 * short enough that `<release>-<name>-api-tokens` style names stay within a label's 63 characters.
 */
export const MAX_NAME_LENGTH = 40;

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Returns the problem with the name, or undefined when it is usable. */
export function invalidNameReason(name: string, currentName: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) {
    return `"${name}" has ${name.length} characters; the limit is ${MAX_NAME_LENGTH}, so that names derived from it stay within Kubernetes' 63`;
  }
  if (!DNS_1123_LABEL.test(name)) {
    return `"${name}" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit (for example "acme" or "orders-api")`;
  }
  if (name === currentName) {
    return `the service is already called "${name}"`;
  }
  return undefined;
}
