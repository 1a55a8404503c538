import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GcsBlobStore } from '../../shared/blobs/gcs.js';
import type { GcsDouble } from '../doubles/gcs.js';

export const signerEmail = 'blob-signer@test.iam.gserviceaccount.com';

const buckets = { uploads: 'br-test-uploads', exports: 'br-test-exports' };

/** The production store, pointed at the GCS double with an offline signing key. */
export function gcsStoreFor(double: GcsDouble, privateKey: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey): GcsBlobStore {
  return new GcsBlobStore({
    buckets,
    storage: {
      apiEndpoint: double.url,
      projectId: 'test',
      credentials: {
        client_email: signerEmail,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      retryOptions: { autoRetry: false },
    },
  });
}

