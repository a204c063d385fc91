import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { TemplatesService } from './templates.service';

@Module({
  imports: [],
  controllers: [AppController],
  providers: [TemplatesService],
})
export class AppModule {}
