FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without development && bundle install
COPY . .
RUN bundle exec rake assets:precompile
CMD ["bundle", "exec", "puma"]
