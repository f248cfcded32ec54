import { z } from 'zod';

/**
 * The bodies the API receives and sends, each shape written once: the routes parse and type
 * against these, and openapi.ts renders them into the document's components.
 */

/** The body of POST /api/greetings. */
export const greetingRequestSchema = z.strictObject({
  name: z
    .string()
    .trim()
    // After trim, /\S/ tests what .min(1) would, but JSON Schema cannot say "trimmed": rendered as
    // `pattern`, it keeps the document from promising to accept '   ', which the fuzzer would send
    // and the API refuse with 422. maxLength is rendered on the untrimmed string, so the document
    // refuses a padded name the API accepts once trimmed: the one place the two still differ.
    .regex(/\S/, 'must not be empty')
    .max(100, 'must be at most 100 characters'),
});

/** 200 from GET /public/hello and GET /api/hello. */
export const messageSchema = z.strictObject({ message: z.string(), requestId: z.string() });
export type Message = z.infer<typeof messageSchema>;

/** 201 from POST /api/greetings. */
export const greetingSchema = z.strictObject({ greeting: z.string(), requestId: z.string() });
export type Greeting = z.infer<typeof greetingSchema>;

/**
 * Errors in one shape, RFC 9457 "Problem Details for HTTP APIs":
 * https://www.rfc-editor.org/rfc/rfc9457. Loose objects: the RFC lets a problem carry members of
 * its own (requestId and errors are two), so a client must not reject one it does not know.
 */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.looseObject({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/** The probes' answer, GET /healthz and GET /readyz. */
export const statusSchema = z.strictObject({ status: z.string() });
export type Status = z.infer<typeof statusSchema>;
