import { DynamicModule, Global, Module } from '@nestjs/common';

import { AppConfig } from '@rampart/config';

import { MessagingClient } from './application/messaging-client.port';
import { KafkajsMessagingClient } from './infrastructure/kafkajs-messaging.client';

/** Kafka for the process, behind our own `MessagingClient` port. Only imported when KAFKA_BROKERS is set. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: MessagingClient,
          inject: [AppConfig],
          useFactory: (config: AppConfig) =>
            new KafkajsMessagingClient({
              brokers: config.env.KAFKA_BROKERS,
              clientId: config.env.KAFKA_CLIENT_ID,
            }),
        },
      ],
      exports: [MessagingClient],
    };
  }
}
