export interface RenameGeneratorSchema {
  /** The service's new name (a DNS-1123 label, at most 40 characters). */
  name: string;
}
