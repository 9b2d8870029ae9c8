/** Password hashing (argon2id in production); the hash string carries its own parameters. */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash it cannot read; never throws on bad input. */
  abstract verify(hash: string, password: string): Promise<boolean>;
}
