export { parseMasterKey, SecretBox, SecretBoxError } from './secret-box';
export { SecretsModule } from './secrets.module';
