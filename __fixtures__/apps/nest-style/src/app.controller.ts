import { Controller, Get, Header, Param } from '@nestjs/common';
import { TemplatesService } from './templates.service';

@Controller()
export class AppController {
  constructor(private readonly templates: TemplatesService) {}

  @Get('health')
  @Header('Content-Type', 'text/plain')
  health(): string {
    return 'ok';
  }

  @Get('templates/:name')
  template(@Param('name') name: string) {
    return { app: 'nest-style', template: this.templates.get(name) };
  }
}
