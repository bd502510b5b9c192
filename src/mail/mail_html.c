/* mail_html.c — see mail_html.h. */
#include "mail/mail_html.h"

#include "util/buf.h"

void mail_html_head(struct buf *h, bool english)
{
    buf_printf(h,
               "<!DOCTYPE html>\n<html lang=\"%s\">\n<head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width\"></head>\n"
               "<body style=\"margin:0;padding:24px;background:#f4f5f7;"
               "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;"
               "color:#1b1f24\">\n"
               "<div style=\"max-width:560px;margin:0 auto;background:#ffffff;"
               "padding:24px;border-radius:8px\">\n",
               english ? "en" : "pl");
}
