FROM php:8.3-apache
WORKDIR /var/www/html
COPY . .
RUN composer install --no-dev --optimize-autoloader
