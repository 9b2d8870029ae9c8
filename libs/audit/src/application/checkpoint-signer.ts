import type { Checkpoint } from '../domain/checkpoint';

/** Holds the audit signing key: signs checkpoints, and says which public key verifies them. */
export abstract class CheckpointSigner {
  abstract readonly publicKey: string;
  abstract readonly keyId: string;
  abstract sign(point: { seq: number; hash: string; at: string }): Checkpoint;
}
