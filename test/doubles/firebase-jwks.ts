import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A stand-in for Google's securetoken JWKS endpoint: one RS256 key pair generated per
 * server, its public half served over loopback HTTP, and a signer for Firebase-shaped
 * ID tokens.
 */
export interface JwksServer {
  url: string;
  kid: string;
  projectId: string;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  /** Signs a Firebase-shaped token; `claims` override the defaults, `undefined` removes one. */
  signIdToken(claims?: Record<string, unknown>, header?: { kid?: string }, key?: CryptoKey): Promise<string>;
  close(): Promise<void>;
}

export async function startJwksServer(projectId = 'bytereview-test'): Promise<JwksServer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks`,
    kid,
    projectId,
    fetches: () => fetches,
    async signIdToken(claims = {}, header = {}, key = privateKey) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        iss: `https://securetoken.google.com/${projectId}`,
        aud: projectId,
        sub: 'user-123',
        iat: now - 10,
        exp: now + 3600,
        auth_time: now - 60,
        email: 'ada@example.com',
        email_verified: true,
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload as JWTPayload)
        .setProtectedHeader({ alg: 'RS256', kid: header.kid ?? kid, typ: 'JWT' })
        .sign(key);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
