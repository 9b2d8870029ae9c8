import { DynamicModule, Global, Module } from '@nestjs/common';

import { SecretBox } from './secret-box';

@Global()
@Module({})
export class SecretsModule {
  static forRoot(masterKey: Buffer): DynamicModule {
    return {
      module: SecretsModule,
      providers: [{ provide: SecretBox, useValue: new SecretBox(masterKey) }],
      exports: [SecretBox],
    };
  }
}
