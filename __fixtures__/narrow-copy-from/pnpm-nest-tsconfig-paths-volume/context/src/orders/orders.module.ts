export class OrdersModule {}
