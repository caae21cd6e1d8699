// Password verifiers a device checks offline, and the proofs that bind requests and
// mutations to the user who typed the password.
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  createPasswordCredential,
  generatePassword,
  parseVerifier,
  signIn,
  verifyPassword,
} from '../../shared/node/password';
import { mutationProof, proofsEqual, requestProof } from '../../shared/node/proofs';
import { TEST_SCRYPT } from './helpers/world';

describe('password verifiers', () => {
  it('signs in with the right password only, and yields the key the server holds', async () => {
    const cred = await createPasswordCredential('晴天-sunny-2026', TEST_SCRYPT);
    expect(cred.verifier).toMatch(
      /^\$fbscrypt\$v=1\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/,
    );
    expect(await signIn('晴天-sunny-2026', cred.verifier)).toEqual({
      ok: true,
      authKey: cred.authKey,
    });
    expect(await signIn('晴天-sunny-2025', cred.verifier)).toEqual({ ok: false });
    expect(await verifyPassword('', cred.verifier)).toBe(false);
    // The verifier a device holds does not contain the key that signs requests.
    expect(cred.verifier).not.toContain(cred.authKey);
  });

  it('treats a password typed with full-width characters as the same password', async () => {
    const cred = await createPasswordCredential('Field2026', TEST_SCRYPT);
    expect(await verifyPassword('Ｆｉｅｌｄ２０２６', cred.verifier)).toBe(true);
  });

  it('salts every verifier, so one password gives different verifiers', async () => {
    const a = await createPasswordCredential('same password', TEST_SCRYPT);
    const b = await createPasswordCredential('same password', TEST_SCRYPT);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.authKey).not.toBe(b.authKey);
  });

  it('never signs anyone in with a corrupt or hostile verifier', async () => {
    const cred = await createPasswordCredential('good password', TEST_SCRYPT);
    const flipped = cred.verifier.slice(0, -2) + (cred.verifier.endsWith('AA') ? 'BB' : 'AA');
    expect(await verifyPassword('good password', flipped)).toBe(false);
    // Asking for 2^30 iterations would freeze a laptop: refused before any work.
    const hostile = cred.verifier.replace('ln=10', 'ln=30');
    expect(parseVerifier(hostile)).toBeNull();
    const started = Date.now();
    expect(await verifyPassword('good password', hostile)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await verifyPassword('good password', 'plain text')).toBe(false);
  });

  it('enforces a minimum length and generates readable passwords', async () => {
    expect(checkPasswordPolicy('short')).toMatch(/at least 8/);
    expect(checkPasswordPolicy('long enough')).toBeNull();
    await expect(createPasswordCredential('short', TEST_SCRYPT)).rejects.toThrow(/at least 8/);
    const generated = new Set(Array.from({ length: 50 }, generatePassword));
    expect(generated.size).toBe(50);
    for (const p of generated)
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
  });
});

describe('proofs', () => {
  const key = Buffer.alloc(32, 7).toString('base64url');
  const request = {
    deviceId: 'd1',
    userId: 'u1',
    method: 'POST',
    pathAndQuery: '/v1/sync/push',
    body: '{"a":1}',
  };

  it('change with the device, user, method, path or body', () => {
    const base = requestProof(key, request);
    for (const change of [
      { deviceId: 'd2' },
      { userId: 'u2' },
      { method: 'GET' },
      { pathAndQuery: '/v1/sync/push?x' },
      { body: '{"a":2}' },
    ]) {
      expect(requestProof(key, { ...request, ...change })).not.toBe(base);
    }
    expect(requestProof(Buffer.alloc(32, 8).toString('base64url'), request)).not.toBe(base);
    expect(proofsEqual(base, requestProof(key, { ...request, method: 'post' }))).toBe(true);
  });

  it('a mutation proof survives JSON round trips and key order, not edits', () => {
    const m = {
      deviceId: 'd1',
      mutationId: 7,
      schemaVersion: 1,
      userId: 'u1',
      kind: 'fact',
      caseId: 'c1',
      hlc: 'h',
      payload: { b: 1, a: { y: [1, 2], x: 'é' } },
    };
    const proof = mutationProof(key, m);
    const reordered = JSON.parse('{"a":{"x":"é","y":[1,2]},"b":1}') as Record<string, unknown>;
    expect(mutationProof(key, { ...m, payload: reordered })).toBe(proof);
    expect(mutationProof(key, { ...m, payload: { ...m.payload, b: 2 } })).not.toBe(proof);
    expect(mutationProof(key, { ...m, mutationId: 8 })).not.toBe(proof);
    expect(proofsEqual(proof, proof.slice(1))).toBe(false);
  });
});
