$(function () {
  $('#level').text('stock level: ok');
});
