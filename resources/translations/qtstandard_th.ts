<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own standard texts (dialog buttons, the wizard's buttons) in Thai, for systems whose
     Qt ships no qtbase_th catalogue (Debian's does not). Written by hand: the sources are Qt's,
     not ours, so ./dev translations does not touch this file. -->
<TS version="2.1" language="th_TH" sourcelanguage="en">
<context>
    <name>QPlatformTheme</name>
    <message><source>OK</source><translation>ตกลง</translation></message>
    <message><source>Save</source><translation>บันทึก</translation></message>
    <message><source>Save All</source><translation>บันทึกทั้งหมด</translation></message>
    <message><source>Open</source><translation>เปิด</translation></message>
    <message><source>&amp;Yes</source><translation>ใช่ (&amp;Y)</translation></message>
    <message><source>Yes to &amp;All</source><translation>ใช่ทั้งหมด (&amp;A)</translation></message>
    <message><source>&amp;No</source><translation>ไม่ (&amp;N)</translation></message>
    <message><source>N&amp;o to All</source><translation>ไม่ทั้งหมด (&amp;O)</translation></message>
    <message><source>Abort</source><translation>ยกเลิกการทำงาน</translation></message>
    <message><source>Retry</source><translation>ลองอีกครั้ง</translation></message>
    <message><source>Ignore</source><translation>ข้าม</translation></message>
    <message><source>Close</source><translation>ปิด</translation></message>
    <message><source>Cancel</source><translation>ยกเลิก</translation></message>
    <message><source>Discard</source><translation>ละทิ้ง</translation></message>
    <message><source>Help</source><translation>ช่วยเหลือ</translation></message>
    <message><source>Apply</source><translation>นำไปใช้</translation></message>
    <message><source>Reset</source><translation>รีเซ็ต</translation></message>
    <message><source>Restore Defaults</source><translation>คืนค่าเริ่มต้น</translation></message>
</context>
<context>
    <name>QWizard</name>
    <message><source>&lt; &amp;Back</source><translation>&lt; ย้อนกลับ (&amp;B)</translation></message>
    <message><source>&amp;Next &gt;</source><translation>ถัดไป (&amp;N) &gt;</translation></message>
    <message><source>&amp;Finish</source><translation>เสร็จสิ้น (&amp;F)</translation></message>
    <message><source>Cancel</source><translation>ยกเลิก</translation></message>
    <message><source>&amp;Help</source><translation>ช่วยเหลือ (&amp;H)</translation></message>
    <message><source>Commit</source><translation>ยืนยัน</translation></message>
    <message><source>Go Back</source><translation>ย้อนกลับ</translation></message>
    <message><source>Continue</source><translation>ดำเนินการต่อ</translation></message>
    <message><source>Done</source><translation>เสร็จสิ้น</translation></message>
    <message><source>Help</source><translation>ช่วยเหลือ</translation></message>
</context>
<context>
    <name>QMessageBox</name>
    <message><source>Show Details...</source><translation>แสดงรายละเอียด...</translation></message>
    <message><source>Hide Details...</source><translation>ซ่อนรายละเอียด...</translation></message>
</context>
</TS>
