FROM ruby:3.3
WORKDIR /app
COPY . .
RUN bundle config set --local without development && bundle install && bundle exec rake assets:precompile
CMD ["bundle", "exec", "puma"]
