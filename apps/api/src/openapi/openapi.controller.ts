import { Controller, Get } from '@nestjs/common';

import { Public } from '@rampart/auth';

import { openApiDocument } from './openapi-document';

@Controller('api/docs')
export class OpenApiController {
  private readonly document = openApiDocument();

  /** Public: it describes the API and holds no data. */
  @Public()
  @Get()
  get() {
    return this.document;
  }
}
