import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendProblem } from './problem';

const REALM = 'api';

/**
 * Protects a router with `Authorization: Bearer <token>`. Tokens are compared as SHA-256
 * digests with timingSafeEqual: equal-length inputs, so neither the token nor its length leaks
 * through timing.
 */
export function requireBearerToken(tokens: readonly string[]): RequestHandler {
  const accepted = tokens.map(digest);
  return (req, res, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '');
    if (match === null) {
      res.set('WWW-Authenticate', `Bearer realm="${REALM}"`);
      sendProblem(res, 401, 'A bearer token is required: Authorization: Bearer <token>.');
      return;
    }
    const presented = digest(match[1] ?? '');
    // Compare against every token, without stopping at the first match.
    const valid = accepted.reduce(
      (found, token) => timingSafeEqual(token, presented) || found,
      false,
    );
    if (!valid) {
      res.set('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
      sendProblem(res, 401, 'The bearer token is not valid.');
      return;
    }
    next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
