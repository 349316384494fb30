#!/usr/bin/env python3
"""Writes the fuzz seeds in seeds/: tiny report files, each preceded by the
two control bytes the targets read (chunk size - 1, where the first cut falls).
Run from fuzz/: python3 make_seeds.py"""
import os

SEEDS = {
    # Quoted thousands, a quoted plan name with a comma and quotes, a totals row.
    "subs_quotes.csv": (bytes([6, 90]), (
        'Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,'
        'Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions\n'
        '2022,5/1/22,5/31/22,ABC,"SQUARE ""RT"", 1",0,FT,132455,43023,139450,17382\n'
        '2022,5/1/22,5/31/22,GHI,SQUARERT-9,8.99,HO,"1,327,735","1,258,343",24385,75849\n'
        'Total,,,,,,,"1,460,190","1,301,366",163835,93231\n').encode()),
    # Semicolons, decimal commas, day-first dates, CRLF, a title line before the header.
    "subs_semicolon_dmy.csv": (bytes([0, 0]), (
        'Contractual Subscriptions export\r\n'
        'Report Start;Report End;Offer ID;Billing Amount;Subscription Category;Month End Subscriptions;'
        'New Subscriptions;Cancelled Subscriptions\r\n'
        '01/05/2022;31/05/2022;DEF;8,99;HO;30.203;0;1.386\r\n'
        '01/05/2022;31/05/2022;ABC;0;FT;43.023;139.450;17.382\r\n').encode()),
    # UTF-16LE with a BOM, tab-separated content usage with an embedded quote.
    "content_utf16le_bom.tsv": (bytes([1, 1]), b'\xff\xfe' + (
        'Report Start\tReport End\tOffer Id\tContent Type\tSeries or Movie Title\tSeason Number\t'
        'Episode Number\tTotal Number of Streams\tTotal Minutes Streamed\r\n'
        '10/6/2018\t10/13/2018\tB099ABCDCE-1M00000000\tTV\t"Say ""Cheese"""\t1\t1\t1513\t44121.43\r\n'
        '10/6/2018\t10/13/2018\tB099ABCDCE-1M00000000\tMovie\tCafé, Interrupted\t\t\t12\t1065.5\r\n'
        ).encode('utf-16-le')),
    # Persistent-ID viewership: quoted titles, a line break inside quotes, empty channel.
    "pid_viewership_quotes.csv": (bytes([31, 200]), (
        'Report Start,Report End,Marketplace ID,Marketplace Description,Offer ID,Encrypted Customer ID,'
        'Stream Start Timestamp,Stream Type,Seconds Viewed,Ad Seconds Viewed,Title Name,Live/Linear Channel Name\n'
        '12/11/2021,12/12/2021,1,US,B08ZYRH8JR-0M00000000,amzn1.account.AEIAVT2KITOQR5GCCLBCG2O,'
        '12/11/2021 12:20,VOD,2860.819,342,"Love, Death & ""Dinner""",\n'
        '12/11/2021,12/12/2021,1,US,B08ZYRH8JR-0M00000000,amzn1.account.AFQJKDJYJVJL4VPNEFIV43BTSIJQ,'
        '12/12/2021 9:05 PM,Live,120,0,"Two\nLines",Demo+ Live Sports\n').encode()),
    # Retention with percent signs and a Windows-1252 byte in a name.
    "retention_1252_percent.csv": (bytes([255, 128]), (
        'Subscription Start Period (SSP),Offer ID,Offer Name,Billing Type Code,Total Starts,FT Conversion,'
        'Month 1 Retention,Month 2 Retention,Month 3 Retention\n'
        '11/30/2021,B099ABCDCE-1M00000000,Caf\xe9+,FT,29753,75.9%,50.5%,40.3%,\n'
        '12/31/2021,B099ABCDCE-1M00000000,Caf\xe9+,HO,"1,204",,81.0,,\n').encode('latin-1')),
    # UTF-16BE without a BOM, pipe-separated Persistent-ID subscriptions with ISO times.
    "pid_subs_utf16be_pipe.txt": (bytes([2, 17]), (
        'Report Date|Marketplace|Customer ID|Offer|Billing Type|Payment Amount|Status|Status Start Time|'
        'Status End Time\n'
        '2021-12-11|US|amzn1.account.AFQJKDJYJVJL4VPNEFIV43BTSIJQ|B08ZYRH8JR-1M00000000|HO|4.99|Active|'
        '2021-12-11T12:20:00Z|\n'
        '2021-12-12|US|amzn1.account.AFQJKDJYJVJL4VPNEFIV43BTSIJQ|B08ZYRH8JR-1M00000000|HO|4.99|Cancelled|'
        '2021-12-12 08:00|2021-12-31 23:59\n').encode('utf-16-be')),
}

os.makedirs("seeds", exist_ok=True)
for name, (ctrl, body) in SEEDS.items():
    with open(os.path.join("seeds", name), "wb") as f:
        f.write(ctrl + body)
