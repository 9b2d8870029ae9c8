import { Controller, Get } from '@nestjs/common';

import { Public } from '@rampart/auth';
import { ApiDoc } from '@rampart/web';

import { OpenApiDocumentBuilder } from './openapi-document';

@Controller('api/docs')
export class OpenApiController {
  private document: Record<string, unknown> | undefined;

  constructor(private readonly builder: OpenApiDocumentBuilder) {}

  /** Public: it describes the API and holds no data. Built once, from the routes themselves. */
  @Public()
  @Get()
  @ApiDoc({ summary: 'This document', responses: { 200: 'OpenAPI 3.1' } })
  get() {
    this.document ??= this.builder.build();
    return this.document;
  }
}
