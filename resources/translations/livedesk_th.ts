<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>ResourceSchema</name>
    <message>
        <source>The server lets you only read %1.</source>
        <translation>เซิร์ฟเวอร์ให้คุณอ่าน %1 ได้เท่านั้น</translation>
    </message>
    <message>
        <source>The server does not let you read %1.</source>
        <translation>เซิร์ฟเวอร์ไม่อนุญาตให้คุณอ่าน %1</translation>
    </message>
    <message>
        <source>The server does not let you create %1.</source>
        <translation>เซิร์ฟเวอร์ไม่อนุญาตให้คุณสร้าง %1</translation>
    </message>
    <message>
        <source>The server does not let you change %1.</source>
        <translation>เซิร์ฟเวอร์ไม่อนุญาตให้คุณเปลี่ยนแปลง %1</translation>
    </message>
    <message>
        <source>The server does not let you delete %1.</source>
        <translation>เซิร์ฟเวอร์ไม่อนุญาตให้คุณลบ %1</translation>
    </message>
    <message>
        <source>Your role (%1) may only read %2.</source>
        <translation>บทบาทของคุณ (%1) อ่าน %2 ได้เท่านั้น</translation>
    </message>
    <message>
        <source>Your role (%1) may not read %2.</source>
        <translation>บทบาทของคุณ (%1) อ่าน %2 ไม่ได้</translation>
    </message>
    <message>
        <source>Your role (%1) may not create %2.</source>
        <translation>บทบาทของคุณ (%1) สร้าง %2 ไม่ได้</translation>
    </message>
    <message>
        <source>Your role (%1) may not change %2.</source>
        <translation>บทบาทของคุณ (%1) เปลี่ยนแปลง %2 ไม่ได้</translation>
    </message>
    <message>
        <source>Your role (%1) may not delete %2.</source>
        <translation>บทบาทของคุณ (%1) ลบ %2 ไม่ได้</translation>
    </message>
</context>
<context>
    <name>livedesk::ActivityModel</name>
    <message>
        <source>Time</source>
        <translation>เวลา</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>ฟีเจอร์</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>เอนทิตี</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>การกระทำ</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>ระเบียน</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ผู้ใช้</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>ระดับความสำคัญ</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>record id (what the record is called)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: %2 added</source>
        <translation>%1: เพิ่ม %2</translation>
    </message>
    <message>
        <source>%1: %2 added by %3</source>
        <translation>%1: %3 เพิ่ม %2</translation>
    </message>
    <message>
        <source>%1: %2 changed</source>
        <translation>%1: แก้ไข %2</translation>
    </message>
    <message>
        <source>%1: %2 changed by %3</source>
        <translation>%1: %3 แก้ไข %2</translation>
    </message>
    <message>
        <source>%1: %2 deleted</source>
        <translation>%1: ลบ %2</translation>
    </message>
    <message>
        <source>%1: %2 deleted by %3</source>
        <translation>%1: %3 ลบ %2</translation>
    </message>
    <message>
        <source>%1: import in progress</source>
        <translation>%1: กำลังนำเข้า</translation>
    </message>
    <message>
        <source>%1: import finished</source>
        <translation>%1: นำเข้าเสร็จแล้ว</translation>
    </message>
    <message>
        <source>%1: operation in progress</source>
        <translation>%1: กำลังดำเนินการ</translation>
    </message>
    <message>
        <source>%1: operation finished</source>
        <translation>%1: ดำเนินการเสร็จแล้ว</translation>
    </message>
    <message>
        <source>%1: operation failed</source>
        <translation>%1: ดำเนินการไม่สำเร็จ</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2 %3</source>
        <translation>%1: %2 %3</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>สิ่งที่เกิดขึ้น</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n ระเบียน</numerusform>
        </translation>
    </message>
    <message>
        <source>The server announced %1, but no list took it: a list may be named otherwise than the server names it, and miss changes.</source>
        <translation>เซิร์ฟเวอร์แจ้ง %1 แต่ไม่มีรายการใดรับไว้ รายการหนึ่งอาจตั้งชื่อต่างจากที่เซิร์ฟเวอร์ใช้ และพลาดการเปลี่ยนแปลงไป</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(ว่าง)</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <comment>field: old value → new value</comment>
        <translation>%1: %2 → %3</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more field(s)</source>
        <translation>
            <numerusform>%1 และอีก %n ช่อง</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 changed: %3</source>
        <translation>%1: %2 มีการเปลี่ยนแปลง: %3</translation>
    </message>
    <message>
        <source>%1: %2 changed by %3: %4</source>
        <translation>%1: %2 ถูกเปลี่ยนโดย %3: %4</translation>
    </message>
</context>
<context>
    <name>livedesk::ActivityPanel</name>
    <message>
        <source>Activity</source>
        <translation>กิจกรรม</translation>
    </message>
    <message>
        <source>Activity of the last 30 minutes</source>
        <translation>กิจกรรมในช่วง 30 นาทีที่ผ่านมา</translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation>กิจกรรมล่าสุด</translation>
    </message>
</context>
<context>
    <name>livedesk::ConflictDialog</name>
    <message>
        <source>(empty)</source>
        <translation>(ว่าง)</translation>
    </message>
    <message>
        <source>Resolve a conflict — %1</source>
        <translation>แก้ไขข้อขัดแย้ง — %1</translation>
    </message>
    <message>
        <source>Resolve a conflict</source>
        <translation>แก้ไขข้อขัดแย้ง</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>สิ่งที่เกิดขึ้น</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>ข้อความแจ้ง</translation>
    </message>
    <message>
        <source>Keep all &amp;mine</source>
        <translation>ใช้ค่าของฉันทั้งหมด (&amp;M)</translation>
    </message>
    <message>
        <source>Take all &amp;theirs</source>
        <translation>ใช้ค่าของอีกฝ่ายทั้งหมด (&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>นำไปใช้ (&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Decide later</source>
        <translation>ตัดสินใจภายหลัง (&amp;D)</translation>
    </message>
    <message>
        <source>Close; the change keeps waiting for your decision</source>
        <translation>ปิดหน้าต่างนี้ การเปลี่ยนแปลงจะรอการตัดสินใจของคุณต่อไป</translation>
    </message>
    <message>
        <source>Choose your value for every field</source>
        <translation>เลือกค่าของคุณในทุกช่องข้อมูล</translation>
    </message>
    <message>
        <source>Choose their value for every field</source>
        <translation>เลือกค่าของอีกฝ่ายในทุกช่องข้อมูล</translation>
    </message>
    <message>
        <source>Save the chosen values</source>
        <translation>บันทึกค่าที่เลือก</translation>
    </message>
    <message>
        <source>This conflict has already been resolved, so there is nothing left to choose.</source>
        <translation>ข้อขัดแย้งนี้ได้รับการแก้ไขแล้ว จึงไม่มีสิ่งใดให้เลือกอีก</translation>
    </message>
    <message>
        <source>record %1</source>
        <translation>ระเบียน %1</translation>
    </message>
    <message>
        <source>Someone else deleted %1 while your change was waiting to be saved. Create it again with your values, or leave it deleted?</source>
        <translation>ผู้ใช้อื่นลบ %1 ขณะที่การเปลี่ยนแปลงของคุณกำลังรอบันทึก ต้องการสร้างขึ้นใหม่ด้วยค่าของคุณ หรือปล่อยให้ถูกลบไป?</translation>
    </message>
    <message>
        <source>You deleted %1, but someone else changed it meanwhile. Delete it anyway, or keep it with their changes?</source>
        <translation>คุณลบ %1 แต่ระหว่างนั้นผู้ใช้อื่นได้แก้ไขไว้ ต้องการลบต่อไป หรือเก็บไว้พร้อมการแก้ไขของผู้ใช้อื่น?</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>ช่องข้อมูล</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>ค่าเดิม</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>ของคุณ</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>ของอีกฝ่าย</translation>
    </message>
    <message>
        <source>Theirs (on the server now)</source>
        <translation>ของอีกฝ่าย (ที่อยู่บนเซิร์ฟเวอร์ขณะนี้)</translation>
    </message>
    <message>
        <source>De&amp;lete it anyway</source>
        <translation>ลบต่อไป (&amp;L)</translation>
    </message>
    <message>
        <source>C&amp;reate it again with my values</source>
        <translation>สร้างใหม่ด้วยค่าของฉัน (&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Keep it, with their changes</source>
        <translation>เก็บไว้พร้อมการแก้ไขของอีกฝ่าย (&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Leave it deleted</source>
        <translation>ปล่อยให้ถูกลบ (&amp;L)</translation>
    </message>
    <message>
        <source>It cannot be created again from here: this computer does not have its %1. If it is still needed, create a new record.</source>
        <translation>สร้างขึ้นใหม่จากที่นี่ไม่ได้ เนื่องจากเครื่องนี้ไม่มีข้อมูล %1 ของระเบียนนี้ หากยังต้องการใช้ โปรดสร้างระเบียนใหม่</translation>
    </message>
    <message>
        <source>Same on both sides</source>
        <translation>เหมือนกันทั้งสองฝ่าย</translation>
    </message>
    <message>
        <source>Changed by both — choose one</source>
        <translation>ถูกแก้ไขทั้งสองฝ่าย — โปรดเลือกหนึ่งค่า</translation>
    </message>
    <message>
        <source>Changed by you</source>
        <translation>คุณเป็นผู้แก้ไข</translation>
    </message>
    <message>
        <source>Changed by them</source>
        <translation>อีกฝ่ายเป็นผู้แก้ไข</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(ถูกลบ)</translation>
    </message>
    <message>
        <source>%1: keep yours, %2</source>
        <translation>%1: ใช้ค่าของคุณ %2</translation>
    </message>
    <message>
        <source>%1: take theirs, %2</source>
        <translation>%1: ใช้ค่าของอีกฝ่าย %2</translation>
    </message>
    <message>
        <source>This conflict was resolved elsewhere meanwhile, so there is nothing left to choose here.</source>
        <translation>ระหว่างนี้ข้อขัดแย้งนี้ได้รับการแก้ไขจากที่อื่นแล้ว จึงไม่มีสิ่งใดให้เลือกที่นี่อีก</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>ปิด (&amp;C)</translation>
    </message>
    <message>
        <source>%1 deleted %2 while your change was waiting to be saved. Create it again with your values, or leave it deleted?</source>
        <translation>%1 ลบ %2 ขณะที่การเปลี่ยนแปลงของคุณกำลังรอบันทึก ต้องการสร้างขึ้นใหม่ด้วยค่าของคุณ หรือปล่อยให้ถูกลบไป?</translation>
    </message>
    <message>
        <source>You deleted %1, but %2 changed it meanwhile. Delete it anyway, or keep it with their changes?</source>
        <translation>คุณลบ %1 แต่ระหว่างนั้น %2 ได้เปลี่ยนแปลงระเบียนนี้ ต้องการลบต่อไป หรือเก็บไว้พร้อมการเปลี่ยนแปลงของเขา?</translation>
    </message>
    <message>
        <source>Someone else changed %1 while you were editing it. For each field, choose whether to keep your value or theirs.</source>
        <translation>ผู้ใช้อื่นเปลี่ยนแปลง %1 ขณะที่คุณกำลังแก้ไข โปรดเลือกในแต่ละช่องว่าจะเก็บค่าของคุณหรือค่าของเขา</translation>
    </message>
    <message>
        <source>%1 changed %2 of %3 while you were editing it. For each field, choose whether to keep your value or theirs.</source>
        <translation>%1 เปลี่ยน %2 ของ %3 ขณะที่คุณกำลังแก้ไข โปรดเลือกในแต่ละช่องว่าจะเก็บค่าของคุณหรือค่าของเขา</translation>
    </message>
</context>
<context>
    <name>livedesk::ConnectDialog</name>
    <message>
        <source>Connect to a server</source>
        <translation>เชื่อมต่อกับเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>ที่อยู่เซิร์ฟเวอร์ (&amp;S):</translation>
    </message>
    <message>
        <source>Socket.IO &amp;path:</source>
        <translation>พาธ Socket.IO (&amp;P):</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>อีเมล (&amp;E):</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>รหัสผ่าน (&amp;W):</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>ที่อยู่เซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>Socket.IO path</source>
        <translation>พาธ Socket.IO</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>อีเมล</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>รหัสผ่าน</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>เชื่อมต่อ (&amp;C)</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example http://localhost:3333.</source>
        <translation>โปรดกรอกที่อยู่ของเซิร์ฟเวอร์ เช่น http://localhost:3333</translation>
    </message>
    <message>
        <source>Enter the e-mail address you sign in with.</source>
        <translation>โปรดกรอกอีเมลที่ใช้เข้าสู่ระบบ</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>กำลังเข้าสู่ระบบ…</translation>
    </message>
</context>
<context>
    <name>livedesk::ConnectionIndicator</name>
    <message>
        <source>Connection status</source>
        <translation>สถานะการเชื่อมต่อ</translation>
    </message>
    <message>
        <source>Offline since %1 — data may be out of date.</source>
        <translation>ออฟไลน์ตั้งแต่ %1 — ข้อมูลอาจไม่เป็นปัจจุบัน</translation>
    </message>
    <message>
        <source>Connected to %1 (session resumed, nothing missed).</source>
        <translation>เชื่อมต่อกับ %1 แล้ว (กลับเข้าเซสชันเดิม ไม่มีข้อมูลตกหล่น)</translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation>เชื่อมต่อกับ %1 แล้ว</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>กำลังเชื่อมต่อกับ %1…</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s (attempt %1).</source>
        <translation>
            <numerusform>จะเชื่อมต่อใหม่ใน %n วินาที (ครั้งที่ %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting (attempt %1)…</source>
        <translation>กำลังเชื่อมต่อใหม่ (ครั้งที่ %1)…</translation>
    </message>
    <message>
        <source>Cannot reach %1. %2</source>
        <translation>ติดต่อ %1 ไม่ได้ %2</translation>
    </message>
    <message>
        <source>The server refused the connection: %1. Check the sign-in token.</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการเชื่อมต่อ: %1 โปรดตรวจสอบโทเค็นการเข้าสู่ระบบ</translation>
    </message>
    <message>
        <source>Gave up: %1.</source>
        <translation>หยุดพยายามเชื่อมต่อแล้ว: %1</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>ไม่ได้เชื่อมต่อ</translation>
    </message>
</context>
<context>
    <name>livedesk::DateField</name>
    <message>
        <source>Choose from a calendar</source>
        <translation>เลือกจากปฏิทิน</translation>
    </message>
    <message>
        <source>“%1” is not a date and time. Write it like %2.</source>
        <translation>“%1” ไม่ใช่วันที่และเวลา โปรดเขียนในรูปแบบ %2</translation>
    </message>
    <message>
        <source>“%1” is not a date. Write it like %2.</source>
        <translation>“%1” ไม่ใช่วันที่ โปรดเขียนในรูปแบบ %2</translation>
    </message>
    <message>
        <source>Write the year with four digits, like %1.</source>
        <translation>โปรดเขียนปีเป็นตัวเลขสี่หลัก เช่น %1</translation>
    </message>
    <message>
        <source>There is no month %1: months go from 1 to 12.</source>
        <translation>ไม่มีเดือนที่ %1 เดือนมีตั้งแต่ 1 ถึง 12</translation>
    </message>
    <message>
        <source>%1 %2 has %3 days: there is no day %4.</source>
        <translation>%1 %2 มี %3 วัน ไม่มีวันที่ %4</translation>
    </message>
</context>
<context>
    <name>livedesk::ImportFilePage</name>
    <message>
        <source>B&amp;rowse…</source>
        <translation>เลือกไฟล์ (&amp;R)…</translation>
    </message>
    <message>
        <source>Download &amp;template…</source>
        <translation>ดาวน์โหลดแม่แบบ (&amp;T)…</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>เลือกไฟล์</translation>
    </message>
    <message>
        <source>Choose what to import and the CSV file that holds the records. Nothing is written until you start the import.</source>
        <translation>เลือกข้อมูลที่จะนำเข้าและไฟล์ CSV ที่มีระเบียนเหล่านั้น จะยังไม่มีการบันทึกใด ๆ จนกว่าคุณจะเริ่มนำเข้า</translation>
    </message>
    <message>
        <source>Import into</source>
        <translation>นำเข้าไปยัง</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>ไฟล์ CSV</translation>
    </message>
    <message>
        <source>Path of a .csv file</source>
        <translation>ตำแหน่งของไฟล์ .csv</translation>
    </message>
    <message>
        <source>Browse for a CSV file</source>
        <translation>เลือกไฟล์ CSV</translation>
    </message>
    <message>
        <source>Download the server&apos;s template</source>
        <translation>ดาวน์โหลดแม่แบบจากเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>Save an example file with the expected columns, to fill in and import.</source>
        <translation>บันทึกไฟล์ตัวอย่างที่มีคอลัมน์ตามที่กำหนด เพื่อกรอกข้อมูลแล้วนำเข้า</translation>
    </message>
    <message>
        <source>&amp;Import into:</source>
        <translation>นำเข้าไปยัง (&amp;I):</translation>
    </message>
    <message>
        <source>CSV &amp;file:</source>
        <translation>ไฟล์ CSV (&amp;F):</translation>
    </message>
    <message>
        <source>No file yet? Start from the server&apos;s template:</source>
        <translation>ยังไม่มีไฟล์? เริ่มจากแม่แบบของเซิร์ฟเวอร์:</translation>
    </message>
    <message>
        <source>%1 (required)</source>
        <translation>%1 (จำเป็น)</translation>
    </message>
    <message>
        <source>Columns of %1: %2.</source>
        <translation>คอลัมน์ของ %1: %2</translation>
    </message>
    <message>
        <source>There is no such file.</source>
        <translation>ไม่พบไฟล์นี้</translation>
    </message>
    <message>
        <source>This is a folder, not a file.</source>
        <translation>นี่คือโฟลเดอร์ ไม่ใช่ไฟล์</translation>
    </message>
    <message>
        <source>This file cannot be read (no permission).</source>
        <translation>อ่านไฟล์นี้ไม่ได้ (ไม่มีสิทธิ์)</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Choose a CSV file</source>
        <translation>เลือกไฟล์ CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt)</source>
        <translation>ไฟล์ CSV (*.csv *.txt)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>ไฟล์ทั้งหมด (*)</translation>
    </message>
    <message>
        <source>Save the template of %1</source>
        <translation>บันทึกแม่แบบของ %1</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>ไฟล์ CSV (*.csv)</translation>
    </message>
    <message>
        <source>%1-template.csv</source>
        <translation>%1-template.csv</translation>
    </message>
    <message>
        <source>Downloading the template…</source>
        <translation>กำลังดาวน์โหลดแม่แบบ…</translation>
    </message>
    <message>
        <source>The template could not be downloaded. %1</source>
        <translation>ดาวน์โหลดแม่แบบไม่สำเร็จ %1</translation>
    </message>
    <message>
        <source>The template could not be saved to %1: %2</source>
        <translation>บันทึกแม่แบบลงใน %1 ไม่สำเร็จ: %2</translation>
    </message>
    <message>
        <source>Template saved to %1. Fill it in, then choose it as the CSV file.</source>
        <translation>บันทึกแม่แบบไว้ที่ %1 แล้ว กรอกข้อมูลให้ครบ แล้วเลือกไฟล์นั้นเป็นไฟล์ CSV</translation>
    </message>
    <message>
        <source>%1 An import creates records.</source>
        <translation>%1 การนำเข้าจะสร้างระเบียนใหม่</translation>
    </message>
</context>
<context>
    <name>livedesk::ImportRunPage</name>
    <message>
        <source>Cancel &amp;import</source>
        <translation>ยกเลิกการนำเข้า (&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>ลองอีกครั้ง (&amp;T)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>นำเข้า</translation>
    </message>
    <message>
        <source>The server imports the rows in batches and reports its progress.</source>
        <translation>เซิร์ฟเวอร์จะนำเข้าแถวเป็นชุด ๆ และรายงานความคืบหน้า</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>ปิด (&amp;C)</translation>
    </message>
    <message>
        <source>Import status</source>
        <translation>สถานะการนำเข้า</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>ความคืบหน้าการนำเข้า</translation>
    </message>
    <message>
        <source>Rows processed</source>
        <translation>แถวที่ประมวลผลแล้ว</translation>
    </message>
    <message>
        <source>Rows imported</source>
        <translation>แถวที่นำเข้าแล้ว</translation>
    </message>
    <message>
        <source>Rows not imported</source>
        <translation>แถวที่ไม่ได้นำเข้า</translation>
    </message>
    <message>
        <source>Time elapsed</source>
        <translation>เวลาที่ใช้ไป</translation>
    </message>
    <message>
        <source>How progress is updated</source>
        <translation>วิธีอัปเดตความคืบหน้า</translation>
    </message>
    <message>
        <source>You can close this window: the server goes on importing, and opening the import again shows how far it got.</source>
        <translation>คุณปิดหน้าต่างนี้ได้ เซิร์ฟเวอร์จะนำเข้าต่อไป และเมื่อเปิดหน้าการนำเข้าอีกครั้งจะเห็นว่าคืบหน้าไปเท่าใด</translation>
    </message>
    <message>
        <source>Cancel the import</source>
        <translation>ยกเลิกการนำเข้า</translation>
    </message>
    <message>
        <source>Stops the import. Rows already imported stay.</source>
        <translation>หยุดการนำเข้า แถวที่นำเข้าแล้วจะยังคงอยู่</translation>
    </message>
    <message>
        <source>Try to start the import again</source>
        <translation>ลองเริ่มการนำเข้าอีกครั้ง</translation>
    </message>
    <message>
        <source>Processed:</source>
        <translation>ประมวลผลแล้ว:</translation>
    </message>
    <message>
        <source>Imported:</source>
        <translation>นำเข้าแล้ว:</translation>
    </message>
    <message>
        <source>Not imported:</source>
        <translation>ไม่ได้นำเข้า:</translation>
    </message>
    <message>
        <source>Elapsed:</source>
        <translation>เวลาที่ใช้ไป:</translation>
    </message>
    <message>
        <source>There is no checked file to import.</source>
        <translation>ไม่มีไฟล์ที่ตรวจสอบแล้วให้นำเข้า</translation>
    </message>
    <message>
        <source>The server did not say which import it started.</source>
        <translation>เซิร์ฟเวอร์ไม่ได้แจ้งว่าเริ่มการนำเข้ารายการใด</translation>
    </message>
    <message>
        <source>The server no longer holds the checked file: the check expired, or the file has been imported already.</source>
        <translation>เซิร์ฟเวอร์ไม่มีไฟล์ที่ตรวจสอบแล้วอีกต่อไป เนื่องจากผลการตรวจสอบหมดอายุ หรือไฟล์ถูกนำเข้าไปแล้ว</translation>
    </message>
    <message>
        <source>Close this window and start again to have the file checked anew.</source>
        <translation>ปิดหน้าต่างนี้แล้วเริ่มใหม่ เพื่อให้ตรวจสอบไฟล์อีกครั้ง</translation>
    </message>
    <message>
        <source>This server cannot cancel imports; the import goes on.</source>
        <translation>เซิร์ฟเวอร์นี้ยกเลิกการนำเข้าไม่ได้ การนำเข้าจะดำเนินต่อไป</translation>
    </message>
    <message>
        <source>The import could not be cancelled. %1</source>
        <translation>ยกเลิกการนำเข้าไม่สำเร็จ %1</translation>
    </message>
    <message>
        <source>Live updates: the server reports progress as it happens.</source>
        <translation>อัปเดตทันที: เซิร์ฟเวอร์รายงานความคืบหน้าตามที่เกิดขึ้นจริง</translation>
    </message>
    <message>
        <source>Live updates are unavailable (the connection is down or silent): polling the server every second for progress.</source>
        <translation>ไม่สามารถอัปเดตทันทีได้ (การเชื่อมต่อขาดหรือไม่มีสัญญาณ) จึงสอบถามความคืบหน้าจากเซิร์ฟเวอร์ทุกวินาที</translation>
    </message>
    <message>
        <source>Asking the server how the import into %1 is going…</source>
        <translation>กำลังสอบถามเซิร์ฟเวอร์ถึงความคืบหน้าการนำเข้าไปยัง %1…</translation>
    </message>
    <message>
        <source>The import into %1 is waiting to start on the server.</source>
        <translation>การนำเข้าไปยัง %1 กำลังรอเริ่มบนเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>Cancelling the import into %1…</source>
        <translation>กำลังยกเลิกการนำเข้าไปยัง %1…</translation>
    </message>
    <message>
        <source>Importing into %1…</source>
        <translation>กำลังนำเข้าไปยัง %1…</translation>
    </message>
    <message>
        <source>The import into %1 is complete.</source>
        <translation>การนำเข้าไปยัง %1 เสร็จสมบูรณ์</translation>
    </message>
    <message>
        <source>The import into %1 failed.</source>
        <translation>การนำเข้าไปยัง %1 ล้มเหลว</translation>
    </message>
    <message>
        <source>The import into %1 was cancelled.</source>
        <translation>การนำเข้าไปยัง %1 ถูกยกเลิก</translation>
    </message>
    <message>
        <source>Starting the import into %1…</source>
        <translation>กำลังเริ่มการนำเข้าไปยัง %1…</translation>
    </message>
    <message>
        <source>The import could not be started.</source>
        <translation>เริ่มการนำเข้าไม่สำเร็จ</translation>
    </message>
    <message>
        <source>%1 of %2 rows</source>
        <translation>%1 จาก %2 แถว</translation>
    </message>
    <message>
        <source>%1 (since the import was reopened)</source>
        <translation>%1 (นับตั้งแต่เปิดหน้าการนำเข้าอีกครั้ง)</translation>
    </message>
    <message>
        <source>%1 of %2 rows processed</source>
        <translation>ประมวลผลแล้ว %1 จาก %2 แถว</translation>
    </message>
</context>
<context>
    <name>livedesk::ImportSummaryPage</name>
    <message>
        <source>&amp;Export rows with problems…</source>
        <translation>ส่งออกแถวที่มีปัญหา (&amp;E)…</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>สรุป</translation>
    </message>
    <message>
        <source>How the import ended, in the server&apos;s counts.</source>
        <translation>ผลการนำเข้า ตามจำนวนที่เซิร์ฟเวอร์นับได้</translation>
    </message>
    <message>
        <source>Outcome of the import</source>
        <translation>ผลการนำเข้า</translation>
    </message>
    <message>
        <source>Rows processed</source>
        <translation>แถวที่ประมวลผลแล้ว</translation>
    </message>
    <message>
        <source>Rows imported</source>
        <translation>แถวที่นำเข้าแล้ว</translation>
    </message>
    <message>
        <source>Rows not imported</source>
        <translation>แถวที่ไม่ได้นำเข้า</translation>
    </message>
    <message>
        <source>Time taken</source>
        <translation>เวลาที่ใช้</translation>
    </message>
    <message>
        <source>Processed:</source>
        <translation>ประมวลผลแล้ว:</translation>
    </message>
    <message>
        <source>Imported:</source>
        <translation>นำเข้าแล้ว:</translation>
    </message>
    <message>
        <source>Not imported:</source>
        <translation>ไม่ได้นำเข้า:</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>เวลา:</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>แถว</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>ช่องข้อมูล</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>ปัญหา</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>ค่า</translation>
    </message>
    <message>
        <source>Rows with problems</source>
        <translation>แถวที่มีปัญหา</translation>
    </message>
    <message>
        <source>Export the rows with problems to a CSV file</source>
        <translation>ส่งออกแถวที่มีปัญหาเป็นไฟล์ CSV</translation>
    </message>
    <message>
        <source>The import into %1 is complete.</source>
        <translation>การนำเข้าไปยัง %1 เสร็จสมบูรณ์</translation>
    </message>
    <message>
        <source>The import into %1 was cancelled. Rows imported before it stopped stay.</source>
        <translation>การนำเข้าไปยัง %1 ถูกยกเลิก แถวที่นำเข้าก่อนหยุดจะยังคงอยู่</translation>
    </message>
    <message>
        <source>The import into %1 failed.</source>
        <translation>การนำเข้าไปยัง %1 ล้มเหลว</translation>
    </message>
    <message>
        <source>The import into %1 failed: %2</source>
        <translation>การนำเข้าไปยัง %1 ล้มเหลว: %2</translation>
    </message>
    <message>
        <source>The import into %1 has not ended yet.</source>
        <translation>การนำเข้าไปยัง %1 ยังไม่สิ้นสุด</translation>
    </message>
    <message>
        <source>%1 of %2 rows</source>
        <translation>%1 จาก %2 แถว</translation>
    </message>
    <message>
        <source>%1 rows were not processed because the import stopped.</source>
        <translation>มี %1 แถวที่ไม่ได้ประมวลผล เนื่องจากการนำเข้าหยุดลง</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>ไฟล์: %1</translation>
    </message>
    <message>
        <source>%1 rows were refused while being stored (for example a value another user took since the check); the server does not list them.</source>
        <translation>มี %1 แถวที่ถูกปฏิเสธระหว่างการบันทึก (เช่น มีผู้ใช้อื่นใช้ค่านั้นไปแล้วหลังการตรวจสอบ) เซิร์ฟเวอร์ไม่ได้แสดงรายการแถวเหล่านี้</translation>
    </message>
    <message>
        <source>The server listed the first %1 of %2 problems; the list and the export hold those.</source>
        <translation>เซิร์ฟเวอร์แสดงปัญหา %1 รายการแรกจากทั้งหมด %2 รายการ รายการและไฟล์ที่ส่งออกจึงมีเฉพาะส่วนนั้น</translation>
    </message>
    <message>
        <source>This import was reopened: the rows with problems are listed only in the window that checked the file.</source>
        <translation>การนำเข้านี้ถูกเปิดขึ้นอีกครั้ง แถวที่มีปัญหาจะแสดงเฉพาะในหน้าต่างที่ใช้ตรวจสอบไฟล์เท่านั้น</translation>
    </message>
    <message>
        <source>(whole row)</source>
        <translation>(ทั้งแถว)</translation>
    </message>
    <message>
        <source>Rows with problems, found when the file was checked (never imported):</source>
        <translation>แถวที่มีปัญหาซึ่งพบขณะตรวจสอบไฟล์ (ไม่ได้นำเข้า):</translation>
    </message>
    <message>
        <source>Export the rows with problems</source>
        <translation>ส่งออกแถวที่มีปัญหา</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>ไฟล์ CSV (*.csv)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>ไฟล์ทั้งหมด (*)</translation>
    </message>
    <message>
        <source>%1-import-problems.csv</source>
        <translation>%1-import-problems.csv</translation>
    </message>
    <message>
        <source>The list could not be saved to %1: %2</source>
        <translation>บันทึกรายการลงใน %1 ไม่สำเร็จ: %2</translation>
    </message>
    <message>
        <source>%1 problems saved to %2.</source>
        <translation>บันทึกปัญหา %1 รายการไว้ที่ %2 แล้ว</translation>
    </message>
</context>
<context>
    <name>livedesk::ImportValidatePage</name>
    <message>
        <source>the file is larger than 256 MB; split it into smaller files</source>
        <translation>ไฟล์มีขนาดใหญ่กว่า 256 MB โปรดแบ่งเป็นไฟล์ที่เล็กลง</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ใช่</translation>
    </message>
    <message>
        <source>no</source>
        <translation>ไม่ใช่</translation>
    </message>
    <message>
        <source>Problems found in the file</source>
        <translation>ปัญหาที่พบในไฟล์</translation>
    </message>
    <message>
        <source>Preview of the first valid rows</source>
        <translation>ตัวอย่างแถวแรก ๆ ที่ถูกต้อง</translation>
    </message>
    <message>
        <source>Check the file</source>
        <translation>ตรวจสอบไฟล์</translation>
    </message>
    <message>
        <source>The server checks every row before anything is imported.</source>
        <translation>เซิร์ฟเวอร์จะตรวจสอบทุกแถวก่อนนำเข้าข้อมูลใด ๆ</translation>
    </message>
    <message>
        <source>Checking the file</source>
        <translation>กำลังตรวจสอบไฟล์</translation>
    </message>
    <message>
        <source>Result of the check</source>
        <translation>ผลการตรวจสอบ</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>แถว</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>ช่องข้อมูล</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>ปัญหา</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>ค่า</translation>
    </message>
    <message>
        <source>&amp;Problems</source>
        <translation>ปัญหา (&amp;P)</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>ตัวอย่าง (&amp;V)</translation>
    </message>
    <message>
        <source>Problems and preview</source>
        <translation>ปัญหาและตัวอย่าง</translation>
    </message>
    <message>
        <source>Skip the rows with problems</source>
        <translation>ข้ามแถวที่มีปัญหา</translation>
    </message>
    <message>
        <source>There is nothing to import into.</source>
        <translation>ไม่มีปลายทางให้นำเข้า</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>กำลังอ่าน %1…</translation>
    </message>
    <message>
        <source>The file could not be read: %1.</source>
        <translation>อ่านไฟล์ไม่ได้: %1</translation>
    </message>
    <message>
        <source>The server is checking %1 (%2). Large files take a while.</source>
        <translation>เซิร์ฟเวอร์กำลังตรวจสอบ %1 (%2) ไฟล์ขนาดใหญ่อาจใช้เวลาสักครู่</translation>
    </message>
    <message>
        <source>The server could not check this file.
%1</source>
        <translation>เซิร์ฟเวอร์ตรวจสอบไฟล์นี้ไม่ได้
%1</translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be understood.</source>
        <translation>ไม่เข้าใจคำตอบจากเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>%1 has been checked.</source>
        <translation>ตรวจสอบ %1 เรียบร้อยแล้ว</translation>
    </message>
    <message>
        <source>Rows in the file: %1. Can be imported: %2. With problems: %3.</source>
        <translation>จำนวนแถวในไฟล์: %1 นำเข้าได้: %2 มีปัญหา: %3</translation>
    </message>
    <message>
        <source>(whole row)</source>
        <translation>(ทั้งแถว)</translation>
    </message>
    <message>
        <source>&amp;Problems (%1)</source>
        <translation>ปัญหา (%1) (&amp;P)</translation>
    </message>
    <message>
        <source>Pre&amp;view (%1)</source>
        <translation>ตัวอย่าง (%1) (&amp;V)</translation>
    </message>
    <message>
        <source>Only the first %1 of %2 problems are listed.</source>
        <translation>แสดงเฉพาะปัญหา %1 รายการแรกจากทั้งหมด %2 รายการ</translation>
    </message>
    <message>
        <source>&amp;Skip the rows with problems and import the other %1</source>
        <translation>ข้ามแถวที่มีปัญหา และนำเข้าอีก %1 แถวที่เหลือ (&amp;S)</translation>
    </message>
    <message>
        <source>Go back to choose another file.</source>
        <translation>ย้อนกลับเพื่อเลือกไฟล์อื่น</translation>
    </message>
    <message>
        <source>No row of this file can be imported. Go back to choose a corrected file.</source>
        <translation>ไม่มีแถวใดในไฟล์นี้ที่นำเข้าได้ โปรดย้อนกลับเพื่อเลือกไฟล์ที่แก้ไขแล้ว</translation>
    </message>
    <message>
        <source>Go back to choose a corrected file, or skip the rows with problems.</source>
        <translation>ย้อนกลับเพื่อเลือกไฟล์ที่แก้ไขแล้ว หรือข้ามแถวที่มีปัญหา</translation>
    </message>
    <message>
        <source>%1 rows will be imported; the %2 rows with problems will not.</source>
        <translation>จะนำเข้า %1 แถว ส่วน %2 แถวที่มีปัญหาจะไม่ถูกนำเข้า</translation>
    </message>
    <message>
        <source>Every row can be imported. Press Import to start.</source>
        <translation>นำเข้าได้ทุกแถว กด “นำเข้า” เพื่อเริ่ม</translation>
    </message>
</context>
<context>
    <name>livedesk::ImportWizard</name>
    <message>
        <source>Import records</source>
        <translation>นำเข้าระเบียน</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>นำเข้า (&amp;I)</translation>
    </message>
    <message>
        <source>The server did not answer in time. Try again later.</source>
        <translation>เซิร์ฟเวอร์ไม่ตอบกลับภายในเวลาที่กำหนด โปรดลองอีกครั้งภายหลัง</translation>
    </message>
    <message>
        <source>The server could not be reached (%1). Check the connection and try again.</source>
        <translation>ติดต่อเซิร์ฟเวอร์ไม่ได้ (%1) โปรดตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง</translation>
    </message>
    <message>
        <source>The server sent an answer that could not be understood.</source>
        <translation>เซิร์ฟเวอร์ส่งคำตอบที่ไม่สามารถเข้าใจได้</translation>
    </message>
    <message>
        <source>The server refused the request.</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธคำขอ</translation>
    </message>
    <message>
        <source>• %1</source>
        <translation>• %1</translation>
    </message>
    <message>
        <source>• %1: %2</source>
        <translation>• %1: %2</translation>
    </message>
</context>
<context>
    <name>livedesk::MainWindow</name>
    <message>
        <source>Lists</source>
        <translation>รายการ</translation>
    </message>
    <message>
        <source>Server and user</source>
        <translation>เซิร์ฟเวอร์และผู้ใช้</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ไฟล์ (&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>เชื่อมต่อ (&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>นำเข้า (&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>ส่งออก CSV (&amp;E)…</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>ส่งออก CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>ไฟล์ CSV (*.csv)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>ออก (&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Mode</source>
        <translation>โหมด (&amp;M)</translation>
    </message>
    <message>
        <source>&amp;HIS: show only what the server confirmed</source>
        <translation>HIS (&amp;H): แสดงเฉพาะข้อมูลที่เซิร์ฟเวอร์ยืนยันแล้ว</translation>
    </message>
    <message>
        <source>&amp;Live: show changes at once</source>
        <translation>เรียลไทม์ (&amp;L): แสดงการเปลี่ยนแปลงทันที</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ช่วยเหลือ (&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About livedesk</source>
        <translation>เกี่ยวกับ livedesk (&amp;A)</translation>
    </message>
    <message>
        <source>livedesk — not connected</source>
        <translation>livedesk — ไม่ได้เชื่อมต่อ</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>ไม่ได้เชื่อมต่อ</translation>
    </message>
    <message>
        <source>livedesk — %1 — %2</source>
        <translation>livedesk — %1 — %2</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>There is no list to export.</source>
        <translation>ไม่มีรายการให้ส่งออก</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>เขียนไฟล์ %1 ไม่สำเร็จ: %2</translation>
    </message>
    <message>
        <source>About livedesk</source>
        <translation>เกี่ยวกับ livedesk</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;livedesk&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;A real-time desktop client for clinical and enterprise systems with a REST API and a Socket.IO change channel.&lt;/p&gt;&lt;p&gt;In HIS mode a list shows only what the server confirmed and says plainly when it may be out of date; in live mode changes show at once and are confirmed or rolled back.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;livedesk&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;โปรแกรมเดสก์ท็อปแบบเรียลไทม์สำหรับระบบงานทางคลินิกและระบบองค์กรที่มี REST API และช่องทางแจ้งการเปลี่ยนแปลงผ่าน Socket.IO&lt;/p&gt;&lt;p&gt;ในโหมด HIS รายการจะแสดงเฉพาะข้อมูลที่เซิร์ฟเวอร์ยืนยันแล้ว และแจ้งให้ทราบอย่างชัดเจนเมื่อข้อมูลอาจไม่เป็นปัจจุบัน ส่วนในโหมดเรียลไทม์ การเปลี่ยนแปลงจะแสดงทันที แล้วจึงได้รับการยืนยันหรือถูกย้อนกลับ&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>มุมมอง (&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Activity</source>
        <translation>กิจกรรม (&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Filters</source>
        <translation>ตัวกรอง (&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>ค้นหา (&amp;S)</translation>
    </message>
    <message>
        <source>Import into %1 finished: %2 imported, %3 failed.</source>
        <translation>การนำเข้าไปยัง %1 เสร็จแล้ว: นำเข้าได้ %2 แถว ไม่สำเร็จ %3 แถว</translation>
    </message>
    <message>
        <source>Import into %1 finished.</source>
        <translation>การนำเข้าไปยัง %1 เสร็จแล้ว</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>แสดง</translation>
    </message>
    <message>
        <source>Import into %1 failed: %2</source>
        <translation>การนำเข้าไปยัง %1 ล้มเหลว: %2</translation>
    </message>
    <message>
        <source>Import into %1 failed.</source>
        <translation>การนำเข้าไปยัง %1 ล้มเหลว</translation>
    </message>
    <message>
        <source>Import into %1 was cancelled.</source>
        <translation>การนำเข้าไปยัง %1 ถูกยกเลิก</translation>
    </message>
    <message>
        <source>%1: %2, which you are viewing, was changed by someone else.</source>
        <translation>%1: %2 ที่คุณกำลังดูอยู่ ถูกผู้ใช้อื่นแก้ไข</translation>
    </message>
    <message>
        <source>%1: %2, which you are viewing, was changed by %3.</source>
        <translation>%1: %2 ที่คุณกำลังดูอยู่ ถูก %3 แก้ไข</translation>
    </message>
    <message>
        <source>%1: %2, which you were viewing, was deleted by someone else.</source>
        <translation>%1: %2 ที่คุณกำลังดูอยู่ ถูกผู้ใช้อื่นลบ</translation>
    </message>
    <message>
        <source>%1: %2, which you were viewing, was deleted by %3.</source>
        <translation>%1: %2 ที่คุณกำลังดูอยู่ ถูก %3 ลบ</translation>
    </message>
    <message>
        <source>%1: %2, which you were viewing, is no longer in the list: it was deleted or changed so that it no longer matches the search or filters.</source>
        <translation>%1: %2 ที่คุณกำลังดูอยู่ ไม่อยู่ในรายการแล้ว เนื่องจากถูกลบ หรือถูกแก้ไขจนไม่ตรงกับการค้นหาหรือตัวกรอง</translation>
    </message>
    <message>
        <source>%1: your change was not saved. %2</source>
        <translation>%1: การเปลี่ยนแปลงของคุณไม่ได้ถูกบันทึก %2</translation>
    </message>
    <message>
        <source>%1: your change to %2 conflicts with a change made by someone else. Choose what to keep.</source>
        <translation>%1: การเปลี่ยนแปลง %2 ของคุณขัดแย้งกับการเปลี่ยนแปลงของผู้ใช้อื่น โปรดเลือกค่าที่จะเก็บไว้</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>แก้ไขข้อขัดแย้ง…</translation>
    </message>
    <message>
        <source>An import into %1 started earlier is still running; its progress is shown here again.</source>
        <translation>การนำเข้าข้อมูลลงใน %1 ที่เริ่มไว้ก่อนหน้านี้ยังทำงานอยู่ แสดงความคืบหน้าที่นี่อีกครั้ง</translation>
    </message>
    <message>
        <source>%1 Sign in again to go on. Until then the lists show what was last read, marked as possibly out of date, and your unsaved changes are kept.</source>
        <translation>%1 โปรดเข้าสู่ระบบอีกครั้งเพื่อทำงานต่อ ระหว่างนี้รายการจะแสดงข้อมูลที่อ่านไว้ล่าสุดพร้อมเครื่องหมายว่าอาจไม่เป็นปัจจุบัน และการเปลี่ยนแปลงที่ยังไม่ได้บันทึกของคุณจะถูกเก็บไว้</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) of %1 wait for them to sign in; they are kept for them.</source>
        <translation>
            <numerusform>การเปลี่ยนแปลง %n รายการของ %1 รอให้เจ้าของเข้าสู่ระบบ และจะถูกเก็บไว้ให้</numerusform>
        </translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>ทิ้ง…</translation>
    </message>
    <message>
        <source>Discard unsaved changes</source>
        <translation>ทิ้งการเปลี่ยนแปลงที่ยังไม่ได้บันทึก</translation>
    </message>
    <message numerus="yes">
        <source>Discard %n change(s) that %1 made and the server has not received? They cannot be recovered.</source>
        <translation>
            <numerusform>ทิ้งการเปลี่ยนแปลง %n รายการที่ %1 ทำไว้และเซิร์ฟเวอร์ยังไม่ได้รับหรือไม่? จะกู้คืนไม่ได้อีก</numerusform>
        </translation>
    </message>
    <message>
        <source>The changes of %1 could not be removed from %2.</source>
        <translation>ไม่สามารถลบการเปลี่ยนแปลงของ %1 ออกจาก %2 ได้</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) of %1 were discarded.</source>
        <translation>
            <numerusform>ทิ้งการเปลี่ยนแปลง %n รายการของ %1 แล้ว</numerusform>
        </translation>
    </message>
    <message>
        <source>livedesk — %1 — signing in…</source>
        <translation>livedesk — %1 — กำลังเข้าสู่ระบบ…</translation>
    </message>
    <message>
        <source>Signing in at %1…</source>
        <translation>กำลังเข้าสู่ระบบที่ %1…</translation>
    </message>
    <message>
        <source>%1: %2, which you changed, was deleted by someone else. Choose what to keep.</source>
        <translation>%1: %2 ที่คุณเปลี่ยนแปลงไว้ถูกผู้ใช้อื่นลบ โปรดเลือกสิ่งที่จะเก็บไว้</translation>
    </message>
    <message>
        <source>%1: %2, which you changed, was deleted by %3. Choose what to keep.</source>
        <translation>%1: %2 ที่คุณเปลี่ยนแปลงไว้ถูกลบโดย %3 โปรดเลือกสิ่งที่จะเก็บไว้</translation>
    </message>
    <message>
        <source>%1: your change to %2 conflicts with a change %3 made to %4. Choose what to keep.</source>
        <translation>%1: การเปลี่ยนแปลง %2 ของคุณขัดแย้งกับที่ %3 เปลี่ยน %4 โปรดเลือกสิ่งที่จะเก็บไว้</translation>
    </message>
    <message numerus="yes">
        <source>%1 stays in %2 mode: %n change(s) still wait for the server or for your decision, and %3 mode would not send them. Switch once they are sent or resolved.</source>
        <translation>
            <numerusform>%1 ยังคงอยู่ในโหมด %2 เพราะยังมีการเปลี่ยนแปลง %n รายการรอเซิร์ฟเวอร์หรือรอการตัดสินใจของคุณ และโหมด %3 จะไม่ส่งการเปลี่ยนแปลงเหล่านี้ โปรดสลับโหมดเมื่อส่งหรือแก้ไขเรียบร้อยแล้ว</numerusform>
        </translation>
    </message>
    <message>
        <source>live</source>
        <translation>เรียลไทม์</translation>
    </message>
    <message>
        <source>HIS</source>
        <translation>HIS</translation>
    </message>
    <message>
        <source>%1 signed in at this window, so this form of %2 can no longer be saved. Copy what you need, then close it.</source>
        <translation>%1 เข้าสู่ระบบที่หน้าต่างนี้แล้ว แบบฟอร์มนี้ของ %2 จึงบันทึกไม่ได้อีก โปรดคัดลอกสิ่งที่ต้องการ แล้วปิดแบบฟอร์ม</translation>
    </message>
    <message>
        <source>a new record</source>
        <translation>ระเบียนใหม่</translation>
    </message>
    <message>
        <source>Discard your waiting changes</source>
        <translation>ทิ้งการเปลี่ยนแปลงที่รออยู่ของคุณ</translation>
    </message>
    <message numerus="yes">
        <source>Discard %n change(s) you made to %1 that the server has not received (%2)? The list will show the server&apos;s records again. This cannot be undone.</source>
        <translation>
            <numerusform>ทิ้งการเปลี่ยนแปลง %n รายการที่คุณทำกับ %1 ซึ่งเซิร์ฟเวอร์ยังไม่ได้รับ (%2) หรือไม่? รายการจะกลับไปแสดงระเบียนของเซิร์ฟเวอร์ และย้อนกลับไม่ได้</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of your changes to %1 were discarded.</source>
        <translation>
            <numerusform>ทิ้งการเปลี่ยนแปลงของคุณใน %1 แล้ว %n รายการ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) had already gone to the server and could not be discarded; the list shows whether it took them.</source>
        <translation>
            <numerusform>การเปลี่ยนแปลง %n รายการส่งถึงเซิร์ฟเวอร์แล้วจึงทิ้งไม่ได้ รายการจะแสดงว่าเซิร์ฟเวอร์รับไว้หรือไม่</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is no longer offered by the server, so this form can no longer be saved. Copy what you need, then close it.</source>
        <translation>เซิร์ฟเวอร์ไม่มี %1 ให้ใช้อีกแล้ว แบบฟอร์มนี้จึงบันทึกไม่ได้ โปรดคัดลอกสิ่งที่ต้องการ แล้วปิดแบบฟอร์ม</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>นำเข้า…</translation>
    </message>
    <message>
        <source>The server refused to send changes: %1. The lists may be out of date until you connect again.</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการส่งการเปลี่ยนแปลง: %1 รายการอาจไม่เป็นปัจจุบันจนกว่าจะเชื่อมต่อใหม่</translation>
    </message>
</context>
<context>
    <name>livedesk::MonitorWindow</name>
    <message>
        <source>&amp;Connect</source>
        <translation>เชื่อมต่อ (&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>ตัดการเชื่อมต่อ (&amp;D)</translation>
    </message>
    <message>
        <source>livedesk — connection monitor</source>
        <translation>livedesk — ตัวตรวจสอบการเชื่อมต่อ</translation>
    </message>
    <message>
        <source>JWT access token (optional)</source>
        <translation>โทเค็นการเข้าถึง JWT (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>patients, admissions, lab-orders</source>
        <translation>patients, admissions, lab-orders</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>URL ของเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>Socket.IO path</source>
        <translation>พาธ Socket.IO</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>โทเค็นการเข้าถึง</translation>
    </message>
    <message>
        <source>Features to subscribe to</source>
        <translation>ฟีเจอร์ที่ต้องการติดตาม</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>เซิร์ฟเวอร์ (&amp;S):</translation>
    </message>
    <message>
        <source>&amp;Path:</source>
        <translation>พาธ (&amp;P):</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>โทเค็น (&amp;T):</translation>
    </message>
    <message>
        <source>&amp;Features:</source>
        <translation>ฟีเจอร์ (&amp;F):</translation>
    </message>
    <message>
        <source>Recent changes</source>
        <translation>การเปลี่ยนแปลงล่าสุด</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ไฟล์ (&amp;F)</translation>
    </message>
    <message>
        <source>C&amp;lear activity</source>
        <translation>ล้างรายการกิจกรรม (&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>ออก (&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ช่วยเหลือ (&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About livedesk</source>
        <translation>เกี่ยวกับ livedesk (&amp;A)</translation>
    </message>
    <message>
        <source>About livedesk</source>
        <translation>เกี่ยวกับ livedesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;livedesk&lt;/b&gt; %1&lt;br&gt;A real-time desktop client for AegisX-style REST + Socket.IO backends.</source>
        <translation>&lt;b&gt;livedesk&lt;/b&gt; %1&lt;br&gt;โปรแกรมเดสก์ท็อปแบบเรียลไทม์สำหรับเซิร์ฟเวอร์แบบ AegisX ที่ใช้ REST และ Socket.IO</translation>
    </message>
    <message>
        <source>Re&amp;connect</source>
        <translation>เชื่อมต่อใหม่ (&amp;C)</translation>
    </message>
    <message>
        <source>%1 events, %2 duplicates dropped, %3 not understood</source>
        <translation>เหตุการณ์ %1 รายการ ตัดรายการซ้ำ %2 รายการ ไม่เข้าใจ %3 รายการ</translation>
    </message>
</context>
<context>
    <name>livedesk::RealtimeStateManager</name>
    <message>
        <source>Not connected to the server yet.</source>
        <translation>ยังไม่ได้เชื่อมต่อกับเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>The server refused the last change: %1</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการเปลี่ยนแปลงล่าสุด: %1</translation>
    </message>
    <message>
        <source>Being edited by %1</source>
        <translation>%1 กำลังแก้ไขอยู่</translation>
    </message>
    <message>
        <source>Changed or deleted by someone else while you edited it: choose what to keep</source>
        <translation>ผู้อื่นแก้ไขหรือลบระหว่างที่คุณแก้ไข: เลือกว่าจะเก็บข้อมูลใด</translation>
    </message>
    <message>
        <source>Someone else changed %1 while you edited it: choose what to keep</source>
        <translation>ผู้อื่นแก้ไข %1 ระหว่างที่คุณแก้ไข: เลือกว่าจะเก็บข้อมูลใด</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>กำลังบันทึก…</translation>
    </message>
    <message>
        <source>Not saved yet: waiting for the connection</source>
        <translation>ยังไม่ได้บันทึก: กำลังรอการเชื่อมต่อ</translation>
    </message>
    <message>
        <source>The connection was given up at %1: %2</source>
        <translation>หยุดพยายามเชื่อมต่อเมื่อ %1: %2</translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation>การเชื่อมต่อกับเซิร์ฟเวอร์ขาดหาย</translation>
    </message>
    <message>
        <source>The server has sent nothing since %1.</source>
        <translation>เซิร์ฟเวอร์ไม่ได้ส่งข้อมูลใดมาตั้งแต่ %1</translation>
    </message>
    <message>
        <source>Could not read %1 from the server: %2</source>
        <translation>ไม่สามารถอ่าน %1 จากเซิร์ฟเวอร์: %2</translation>
    </message>
    <message>
        <source>%1 Changes cannot be saved until the connection is back.</source>
        <translation>%1 ไม่สามารถบันทึกการเปลี่ยนแปลงได้จนกว่าการเชื่อมต่อจะกลับมา</translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation>ไม่ได้เชื่อมต่อกับเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>The server refused to send changes of this list: %1</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการส่งการเปลี่ยนแปลงของรายการนี้: %1</translation>
    </message>
    <message>
        <source>the server&apos;s page %1 is not valid JSON</source>
        <translation>หน้าที่ %1 ที่เซิร์ฟเวอร์ส่งมาไม่ใช่ JSON ที่ถูกต้อง</translation>
    </message>
</context>
<context>
    <name>livedesk::RealtimeTableModel</name>
    <message>
        <source>Yes</source>
        <translation>ใช่</translation>
    </message>
    <message>
        <source>No</source>
        <translation>ไม่ใช่</translation>
    </message>
    <message>
        <source>%1 (required)</source>
        <translation>%1 (จำเป็น)</translation>
    </message>
</context>
<context>
    <name>livedesk::RecordDialog</name>
    <message>
        <source>Notice</source>
        <translation>ข้อความแจ้ง</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>โหลดใหม่ (&amp;R)</translation>
    </message>
    <message>
        <source>Show their values in the fields you have not changed</source>
        <translation>แสดงค่าของอีกฝ่ายในช่องข้อมูลที่คุณไม่ได้แก้ไข</translation>
    </message>
    <message>
        <source>&amp;Keep editing</source>
        <translation>แก้ไขต่อ (&amp;K)</translation>
    </message>
    <message>
        <source>Leave the form as it is; only your changes will be saved</source>
        <translation>คงแบบฟอร์มไว้ตามเดิม จะบันทึกเฉพาะส่วนที่คุณแก้ไข</translation>
    </message>
    <message>
        <source>Compare your values with theirs and choose which to keep</source>
        <translation>เปรียบเทียบค่าของคุณกับของอีกฝ่าย แล้วเลือกค่าที่จะเก็บไว้</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>ปัญหา</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>แก้ไขข้อขัดแย้ง…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>บันทึก (&amp;S)</translation>
    </message>
    <message>
        <source>Save (%1)</source>
        <translation>บันทึก (%1)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>ยกเลิก (&amp;C)</translation>
    </message>
    <message>
        <source>New record — %1</source>
        <translation>ระเบียนใหม่ — %1</translation>
    </message>
    <message>
        <source>Record %1 — %2</source>
        <translation>ระเบียน %1 — %2</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Fields marked * must be filled in.</source>
        <translation>ต้องกรอกช่องข้อมูลที่มีเครื่องหมาย *</translation>
    </message>
    <message>
        <source>About this record</source>
        <translation>เกี่ยวกับระเบียนนี้</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ไม่มี)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>เลือก…</translation>
    </message>
    <message>
        <source>Whole number</source>
        <translation>จำนวนเต็ม</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>ตัวเลข</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>จำเป็น</translation>
    </message>
    <message>
        <source>Problem with %1</source>
        <translation>ปัญหาของ %1</translation>
    </message>
    <message>
        <source>Use their value</source>
        <translation>ใช้ค่าของอีกฝ่าย</translation>
    </message>
    <message>
        <source>Use their value for %1</source>
        <translation>ใช้ค่าของอีกฝ่ายสำหรับ %1</translation>
    </message>
    <message>
        <source>%1 *</source>
        <translation>%1 *</translation>
    </message>
    <message>
        <source>Enter a whole number, for example 42.</source>
        <translation>โปรดกรอกจำนวนเต็ม เช่น 42</translation>
    </message>
    <message>
        <source>This number is too large.</source>
        <translation>ตัวเลขนี้มากเกินไป</translation>
    </message>
    <message>
        <source>Enter a number, for example %1.</source>
        <translation>โปรดกรอกตัวเลข เช่น %1</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>This field is required.</source>
        <translation>ต้องกรอกช่องข้อมูลนี้</translation>
    </message>
    <message>
        <source>This field must not be blank.</source>
        <translation>ช่องข้อมูลนี้ต้องไม่เว้นว่าง</translation>
    </message>
    <message>
        <source>At most one character; this has %1.</source>
        <translation>กรอกได้ไม่เกิน 1 ตัวอักษร แต่ขณะนี้มี %1 ตัวอักษร</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters; this has %1.</source>
        <translation>
            <numerusform>กรอกได้ไม่เกิน %n ตัวอักษร แต่ขณะนี้มี %1 ตัวอักษร</numerusform>
        </translation>
    </message>
    <message>
        <source>Some fields need attention; see the messages below them.</source>
        <translation>มีบางช่องข้อมูลที่ต้องแก้ไข โปรดดูข้อความใต้ช่องนั้น</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>กำลังบันทึก…</translation>
    </message>
    <message>
        <source>Another record already has this value.</source>
        <translation>มีระเบียนอื่นใช้ค่านี้แล้ว</translation>
    </message>
    <message>
        <source>Another record already has “%1”.</source>
        <translation>มีระเบียนอื่นใช้ “%1” แล้ว</translation>
    </message>
    <message>
        <source>At most one character.</source>
        <translation>กรอกได้ไม่เกิน 1 ตัวอักษร</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>กรอกได้ไม่เกิน %n ตัวอักษร</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>โปรดเลือกหนึ่งค่าจากรายการ</translation>
    </message>
    <message>
        <source>Enter a real date.</source>
        <translation>โปรดกรอกวันที่ที่มีอยู่จริง</translation>
    </message>
    <message>
        <source>The server did not accept this value.</source>
        <translation>เซิร์ฟเวอร์ไม่ยอมรับค่านี้</translation>
    </message>
    <message>
        <source>Not connected to the server, so the change cannot be saved now. Try again when the connection is back.</source>
        <translation>ไม่ได้เชื่อมต่อกับเซิร์ฟเวอร์ จึงบันทึกการเปลี่ยนแปลงไม่ได้ในขณะนี้ โปรดลองอีกครั้งเมื่อการเชื่อมต่อกลับมา</translation>
    </message>
    <message>
        <source>The server did not answer. Check the connection and try again.</source>
        <translation>เซิร์ฟเวอร์ไม่ตอบกลับ โปรดตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง</translation>
    </message>
    <message>
        <source>Someone else saved this record after you opened it. Their version is being loaded; check it, then save again.</source>
        <translation>ผู้ใช้อื่นบันทึกระเบียนนี้หลังจากที่คุณเปิดไว้ กำลังโหลดฉบับของผู้ใช้นั้น โปรดตรวจสอบแล้วบันทึกอีกครั้ง</translation>
    </message>
    <message>
        <source>This record no longer exists on the server.</source>
        <translation>ระเบียนนี้ไม่มีอยู่บนเซิร์ฟเวอร์แล้ว</translation>
    </message>
    <message>
        <source>You are not allowed to make this change.</source>
        <translation>คุณไม่มีสิทธิ์ทำการเปลี่ยนแปลงนี้</translation>
    </message>
    <message>
        <source>The server refused the change: %1</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการเปลี่ยนแปลง: %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>The server did not accept the values: %1</source>
        <translation>เซิร์ฟเวอร์ไม่ยอมรับค่าที่กรอก: %1</translation>
    </message>
    <message>
        <source>Some values were not accepted; see the messages below the fields.</source>
        <translation>มีบางค่าที่ไม่ได้รับการยอมรับ โปรดดูข้อความใต้ช่องข้อมูล</translation>
    </message>
    <message>
        <source>This record was deleted by someone else. Your changes can no longer be saved.</source>
        <translation>ระเบียนนี้ถูกผู้ใช้อื่นลบไปแล้ว การเปลี่ยนแปลงของคุณจึงบันทึกไม่ได้อีกต่อไป</translation>
    </message>
    <message>
        <source>Someone else changed this to “%1”.</source>
        <translation>ผู้ใช้อื่นเปลี่ยนค่านี้เป็น “%1”</translation>
    </message>
    <message>
        <source>Some fields you changed were also changed by someone else.</source>
        <translation>บางช่องข้อมูลที่คุณแก้ไข ผู้ใช้อื่นก็แก้ไขด้วย</translation>
    </message>
    <message>
        <source>Fields of the record</source>
        <translation>ช่องข้อมูลของระเบียน</translation>
    </message>
    <message>
        <source>The server refused the change.</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการเปลี่ยนแปลง</translation>
    </message>
    <message>
        <source>This cannot be in the future.</source>
        <translation>ค่านี้เป็นวันในอนาคตไม่ได้</translation>
    </message>
    <message>
        <source>This is too early: the earliest allowed is %1.</source>
        <translation>เร็วเกินไป วันที่เร็วที่สุดที่อนุญาตคือ %1</translation>
    </message>
    <message>
        <source>This is too late: the latest allowed is %1.</source>
        <translation>ช้าเกินไป วันที่ช้าที่สุดที่อนุญาตคือ %1</translation>
    </message>
    <message>
        <source>This cannot be in the future: today is %1.</source>
        <translation>ค่านี้เป็นวันในอนาคตไม่ได้ วันนี้คือ %1</translation>
    </message>
    <message>
        <source>Someone else deleted this record while you were editing it. Choose whether to create it again with your values.</source>
        <translation>ผู้ใช้อื่นลบระเบียนนี้ขณะที่คุณกำลังแก้ไข โปรดเลือกว่าจะสร้างขึ้นใหม่ด้วยค่าของคุณหรือไม่</translation>
    </message>
    <message>
        <source>Someone else changed the same fields while you were editing this record. Choose which values to keep.</source>
        <translation>ผู้ใช้อื่นเปลี่ยนช่องเดียวกันขณะที่คุณกำลังแก้ไขระเบียนนี้ โปรดเลือกค่าที่จะเก็บไว้</translation>
    </message>
    <message>
        <source>%1 changed %2 while you were editing this record. Choose which values to keep.</source>
        <translation>%1 เปลี่ยน %2 ขณะที่คุณกำลังแก้ไขระเบียนนี้ โปรดเลือกค่าที่จะเก็บไว้</translation>
    </message>
    <message>
        <source>Someone else changed %1 while you were editing this record. Reload to see their values, or keep editing; if you change a field they changed too, you will be asked which value to keep.</source>
        <translation>ผู้ใช้อื่นเปลี่ยน %1 ขณะที่คุณกำลังแก้ไขระเบียนนี้ โหลดใหม่เพื่อดูค่าของเขา หรือแก้ไขต่อ หากคุณเปลี่ยนช่องที่เขาเปลี่ยนด้วย ระบบจะถามว่าจะเก็บค่าใด</translation>
    </message>
    <message>
        <source>%1 changed %2 while you were editing this record. Reload to see the new values, or keep editing; if you change a field they changed too, you will be asked which value to keep.</source>
        <translation>%1 เปลี่ยน %2 ขณะที่คุณกำลังแก้ไขระเบียนนี้ โหลดใหม่เพื่อดูค่าใหม่ หรือแก้ไขต่อ หากคุณเปลี่ยนช่องที่เขาเปลี่ยนด้วย ระบบจะถามว่าจะเก็บค่าใด</translation>
    </message>
    <message>
        <source>%1 changed this to “%2”.</source>
        <translation>%1 เปลี่ยนค่านี้เป็น “%2”</translation>
    </message>
    <message>
        <source>Your save went out just before the connection changed, and its answer was lost: it may or may not be stored. The list shows what the server has; check it, then save again if your change is not there.</source>
        <translation>การบันทึกของคุณถูกส่งออกไปก่อนการเชื่อมต่อเปลี่ยนเล็กน้อย และคำตอบสูญหาย อาจบันทึกแล้วหรือไม่ก็ได้ รายการแสดงข้อมูลที่เซิร์ฟเวอร์มี โปรดตรวจสอบ แล้วบันทึกอีกครั้งหากไม่พบการเปลี่ยนแปลงของคุณ</translation>
    </message>
</context>
<context>
    <name>livedesk::ResourceListView</name>
    <message>
        <source>&amp;New…</source>
        <translation>สร้างใหม่ (&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>แก้ไข (&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>ลบ (&amp;D)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>ค้นหา</translation>
    </message>
    <message>
        <source>Search the list</source>
        <translation>ค้นหาในรายการ</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>โหมด</translation>
    </message>
    <message>
        <source>Data may be out of date</source>
        <translation>ข้อมูลอาจไม่เป็นปัจจุบัน</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>ระเบียน</translation>
    </message>
    <message>
        <source>List status</source>
        <translation>สถานะของรายการ</translation>
    </message>
    <message>
        <source>Resolve conflicts</source>
        <translation>แก้ไขข้อขัดแย้ง</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>ระเบียนใหม่</translation>
    </message>
    <message>
        <source>Edit the selected record</source>
        <translation>แก้ไขระเบียนที่เลือก</translation>
    </message>
    <message>
        <source>Delete the selected records</source>
        <translation>ลบระเบียนที่เลือก</translation>
    </message>
    <message>
        <source>Not connected to a server.</source>
        <translation>ไม่ได้เชื่อมต่อกับเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>The server cannot be reached. In HIS mode nothing is changed until the server can confirm it; switch to live mode to queue changes.</source>
        <translation>ติดต่อเซิร์ฟเวอร์ไม่ได้ ในโหมด HIS จะไม่มีการเปลี่ยนแปลงใด ๆ จนกว่าเซิร์ฟเวอร์จะยืนยันได้ หากต้องการเก็บการเปลี่ยนแปลงไว้รอส่ง ให้เปลี่ยนเป็นโหมดเรียลไทม์</translation>
    </message>
    <message>
        <source>Delete the selected record? This cannot be undone.</source>
        <translation>ลบระเบียนที่เลือกหรือไม่? การลบนี้ย้อนกลับไม่ได้</translation>
    </message>
    <message numerus="yes">
        <source>Delete the %n selected records? This cannot be undone.</source>
        <translation>
            <numerusform>ลบระเบียนที่เลือกทั้ง %n รายการหรือไม่? การลบนี้ย้อนกลับไม่ได้</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>ลบ</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>ไม่ได้เชื่อมต่อ</translation>
    </message>
    <message>
        <source>HIS mode: only what the server confirmed</source>
        <translation>โหมด HIS: เฉพาะข้อมูลที่เซิร์ฟเวอร์ยืนยันแล้ว</translation>
    </message>
    <message>
        <source>Live mode: changes show at once</source>
        <translation>โหมดเรียลไทม์: แสดงการเปลี่ยนแปลงทันที</translation>
    </message>
    <message>
        <source>Every change is read again from the server before it is shown. Your own edits appear once the server has saved them.</source>
        <translation>ทุกการเปลี่ยนแปลงจะถูกอ่านซ้ำจากเซิร์ฟเวอร์ก่อนแสดง การแก้ไขของคุณจะปรากฏเมื่อเซิร์ฟเวอร์บันทึกแล้ว</translation>
    </message>
    <message>
        <source>Changes from others are applied as they are announced; your edits show at once, marked as pending until the server confirms them.</source>
        <translation>การเปลี่ยนแปลงจากผู้อื่นจะแสดงทันทีที่ได้รับแจ้ง การแก้ไขของคุณจะแสดงทันทีโดยมีเครื่องหมายว่ารอดำเนินการ จนกว่าเซิร์ฟเวอร์จะยืนยัน</translation>
    </message>
    <message>
        <source>%1 of %2 rows</source>
        <translation>%1 จาก %2 แถว</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n แถว</numerusform>
        </translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>กำลังโหลด…</translation>
    </message>
    <message>
        <source>synced %1</source>
        <translation>ซิงก์ล่าสุด %1</translation>
    </message>
    <message>
        <source>changes announced, refreshing</source>
        <translation>มีการแจ้งการเปลี่ยนแปลง กำลังรีเฟรช</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting for the server</source>
        <translation>
            <numerusform>มี %n การเปลี่ยนแปลงที่รอเซิร์ฟเวอร์</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>ข้อขัดแย้ง %n รายการ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resolve %n conflict(s)…</source>
        <translation>
            <numerusform>แก้ไขข้อขัดแย้ง %n รายการ…</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline since %1: the list may be out of date. %2</source>
        <translation>ออฟไลน์ตั้งแต่ %1: รายการอาจไม่เป็นปัจจุบัน %2</translation>
    </message>
    <message>
        <source>&amp;Add filter</source>
        <translation>เพิ่มตัวกรอง (&amp;A)</translation>
    </message>
    <message>
        <source>F&amp;ilters</source>
        <translation>ตัวกรอง (&amp;I)</translation>
    </message>
    <message>
        <source>Show the filter bar</source>
        <translation>แสดงแถบตัวกรอง</translation>
    </message>
    <message>
        <source>Show only the records that meet conditions (the server filters the list)</source>
        <translation>แสดงเฉพาะระเบียนที่ตรงตามเงื่อนไข (เซิร์ฟเวอร์เป็นผู้กรองรายการ)</translation>
    </message>
    <message>
        <source>Filter field</source>
        <translation>ช่องข้อมูลที่ใช้กรอง</translation>
    </message>
    <message>
        <source>Filter condition</source>
        <translation>เงื่อนไขการกรอง</translation>
    </message>
    <message>
        <source>Filter value</source>
        <translation>ค่าที่ใช้กรอง</translation>
    </message>
    <message>
        <source>Add the filter condition</source>
        <translation>เพิ่มเงื่อนไขการกรอง</translation>
    </message>
    <message>
        <source>Show records where</source>
        <translation>แสดงระเบียนที่</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>record id (what the record is called)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>This list has no field %1.</source>
        <translation>รายการนี้ไม่มีช่องข้อมูล %1</translation>
    </message>
    <message>
        <source>Enter a value to filter by.</source>
        <translation>โปรดกรอกค่าที่ใช้กรอง</translation>
    </message>
    <message>
        <source>%1 can only be compared for equality.</source>
        <translation>%1 เปรียบเทียบได้เฉพาะว่าเท่ากันเท่านั้น</translation>
    </message>
    <message>
        <source>%1 needs a whole number.</source>
        <translation>%1 ต้องเป็นจำนวนเต็ม</translation>
    </message>
    <message>
        <source>%1 needs a number (like 12.5).</source>
        <translation>%1 ต้องเป็นตัวเลข (เช่น 12.5)</translation>
    </message>
    <message>
        <source>%1 needs a date written as year-month-day, like 2026-01-31.</source>
        <translation>%1 ต้องเป็นวันที่ในรูปแบบ ปี ค.ศ.-เดือน-วัน เช่น 2026-01-31</translation>
    </message>
    <message>
        <source>%1 must be one of: %2.</source>
        <translation>%1 ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: %2</translation>
    </message>
    <message>
        <source>%1 needs yes or no.</source>
        <translation>%1 ต้องเป็น ใช่ หรือ ไม่ใช่</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ใช่</translation>
    </message>
    <message>
        <source>no</source>
        <translation>ไม่ใช่</translation>
    </message>
    <message>
        <source>%1 at least %2</source>
        <translation>%1 ไม่น้อยกว่า %2</translation>
    </message>
    <message>
        <source>%1 at most %2</source>
        <translation>%1 ไม่เกิน %2</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 เท่ากับ %2</translation>
    </message>
    <message>
        <source>is</source>
        <translation>เท่ากับ</translation>
    </message>
    <message>
        <source>is at least</source>
        <translation>ไม่น้อยกว่า</translation>
    </message>
    <message>
        <source>is at most</source>
        <translation>ไม่เกิน</translation>
    </message>
    <message>
        <source>year-month-day</source>
        <translation>ปี ค.ศ.-เดือน-วัน</translation>
    </message>
    <message>
        <source>Remove this condition</source>
        <translation>ลบเงื่อนไขนี้</translation>
    </message>
    <message>
        <source>Remove the filter %1</source>
        <translation>ลบตัวกรอง %1</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>ล้างตัวกรอง</translation>
    </message>
    <message>
        <source>F&amp;ilters (%1)</source>
        <translation>ตัวกรอง (%1) (&amp;I)</translation>
    </message>
    <message>
        <source>Discard your changes waiting for the server</source>
        <translation>ทิ้งการเปลี่ยนแปลงของคุณที่รอเซิร์ฟเวอร์</translation>
    </message>
    <message>
        <source>Your changes that have not reached the server yet: drop them, after confirmation, so the list shows the server&apos;s records</source>
        <translation>การเปลี่ยนแปลงของคุณที่ยังไม่ถึงเซิร์ฟเวอร์: ทิ้งไปหลังยืนยัน เพื่อให้รายการแสดงระเบียนของเซิร์ฟเวอร์</translation>
    </message>
    <message numerus="yes">
        <source>Discard %n waiting change(s)…</source>
        <translation>
            <numerusform>ทิ้งการเปลี่ยนแปลงที่รออยู่ %n รายการ…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>livedesk::Session</name>
    <message>
        <source>The e-mail address or password is not right.</source>
        <translation>อีเมลหรือรหัสผ่านไม่ถูกต้อง</translation>
    </message>
    <message>
        <source>Could not sign in: %1</source>
        <translation>เข้าสู่ระบบไม่สำเร็จ: %1</translation>
    </message>
    <message>
        <source>signed in</source>
        <translation>เข้าสู่ระบบแล้ว</translation>
    </message>
    <message>
        <source>Could not read the schema file %1: %2</source>
        <translation>อ่านไฟล์สคีมา %1 ไม่ได้: %2</translation>
    </message>
    <message>
        <source>The schema file %1 describes no resource.</source>
        <translation>ไฟล์สคีมา %1 ไม่ได้ระบุชุดข้อมูลใดไว้</translation>
    </message>
    <message>
        <source>The server did not accept the sign-in (the token may have expired).</source>
        <translation>เซิร์ฟเวอร์ไม่ยอมรับการเข้าสู่ระบบ (โทเค็นอาจหมดอายุแล้ว)</translation>
    </message>
    <message>
        <source>The server describes no resources, and none were named (--resource or --schema).</source>
        <translation>เซิร์ฟเวอร์ไม่ได้ระบุชุดข้อมูลใด และไม่ได้กำหนดชุดข้อมูลไว้ (--resource หรือ --schema)</translation>
    </message>
    <message>
        <source>The server refused the connection (%1).</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการเชื่อมต่อ (%1)</translation>
    </message>
    <message>
        <source>Your sign-in expired and the server could not renew it (%1).</source>
        <translation>การเข้าสู่ระบบของคุณหมดอายุ และเซิร์ฟเวอร์ต่ออายุให้ไม่ได้ (%1)</translation>
    </message>
    <message>
        <source>The server no longer accepts your sign-in (%1).</source>
        <translation>เซิร์ฟเวอร์ไม่ยอมรับการเข้าสู่ระบบของคุณอีกต่อไป (%1)</translation>
    </message>
    <message>
        <source>Your sign-in expired (%1).</source>
        <translation>การเข้าสู่ระบบของคุณหมดอายุ (%1)</translation>
    </message>
</context>
<context>
    <name>livedesk::SocketIoClient</name>
    <message>
        <source>the HTTP server at %1 answers (status %2), but nothing answers Socket.IO at %3 (no reply to the WebSocket upgrade within %4 ms): check the Socket.IO path</source>
        <translation>เซิร์ฟเวอร์ HTTP ที่ %1 ตอบกลับ (สถานะ %2) แต่ไม่มีสิ่งใดตอบ Socket.IO ที่ %3 (ไม่มีคำตอบต่อการอัปเกรด WebSocket ภายใน %4 มิลลิวินาที) โปรดตรวจสอบพาธของ Socket.IO</translation>
    </message>
    <message numerus="yes">
        <source>server unreachable after %n attempt(s)</source>
        <translation>
            <numerusform>ติดต่อเซิร์ฟเวอร์ไม่ได้หลังพยายาม %n ครั้ง</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n attempt(s))</source>
        <translation>
            <numerusform>%1 (พยายาม %n ครั้ง)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>livedesk::ToastArea</name>
    <message>
        <source>Error</source>
        <translation>ข้อผิดพลาด</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>คำเตือน</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>การแจ้งเตือน</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <source>Dismiss notification</source>
        <translation>ปิดการแจ้งเตือน</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>การแจ้งเตือน</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Real-time desktop client for clinical systems. Without --url it starts its own built-in server with clinical demo data.</source>
        <translation>โปรแกรมเดสก์ท็อปแบบเรียลไทม์สำหรับระบบงานทางคลินิก หากไม่ระบุ --url โปรแกรมจะเริ่มเซิร์ฟเวอร์ในตัวพร้อมข้อมูลทางคลินิกสำหรับสาธิต</translation>
    </message>
    <message>
        <source>Server base URL, e.g. http://host:3333.</source>
        <translation>URL หลักของเซิร์ฟเวอร์ เช่น http://host:3333</translation>
    </message>
    <message>
        <source>Socket.IO path (default /api/ws/).</source>
        <translation>พาธ Socket.IO (ค่าเริ่มต้น /api/ws/)</translation>
    </message>
    <message>
        <source>Access token (instead of signing in).</source>
        <translation>โทเค็นการเข้าถึง (ใช้แทนการเข้าสู่ระบบ)</translation>
    </message>
    <message>
        <source>E-mail to sign in with at --url.</source>
        <translation>อีเมลสำหรับเข้าสู่ระบบที่ --url</translation>
    </message>
    <message>
        <source>Password for --email (otherwise asked for).</source>
        <translation>รหัสผ่านของ --email (หากไม่ระบุ โปรแกรมจะถาม)</translation>
    </message>
    <message>
        <source>Schema file describing the resources of a server without /api/schema.</source>
        <translation>ไฟล์สคีมาที่ระบุชุดข้อมูลของเซิร์ฟเวอร์ที่ไม่มี /api/schema</translation>
    </message>
    <message>
        <source>A resource to show when the server describes none (repeatable).</source>
        <translation>ชุดข้อมูลที่จะแสดงเมื่อเซิร์ฟเวอร์ไม่ได้ระบุไว้ (ระบุซ้ำได้)</translation>
    </message>
    <message>
        <source>Demo user of the built-in server (default nurse@demo.local).</source>
        <translation>ผู้ใช้สาธิตของเซิร์ฟเวอร์ในตัว (ค่าเริ่มต้น nurse@demo.local)</translation>
    </message>
    <message>
        <source>Open the connection monitor (raw events) instead.</source>
        <translation>เปิดตัวตรวจสอบการเชื่อมต่อ (เหตุการณ์ดิบ) แทน</translation>
    </message>
    <message>
        <source>With --monitor: feature to subscribe (repeatable).</source>
        <translation>ใช้กับ --monitor: ฟีเจอร์ที่ต้องการติดตาม (ระบุซ้ำได้)</translation>
    </message>
    <message>
        <source>Save a PNG of the window once it shows data, then quit.</source>
        <translation>บันทึกภาพหน้าต่างเป็น PNG เมื่อแสดงข้อมูลแล้ว จากนั้นปิดโปรแกรม</translation>
    </message>
    <message>
        <source>Language of the window, e.g. th for Thai or en for English (default: the system&apos;s). Where there is no translation the window is in English.</source>
        <translation>ภาษาของหน้าต่าง เช่น th สำหรับภาษาไทย หรือ en สำหรับภาษาอังกฤษ (ค่าเริ่มต้น: ภาษาของระบบ) หากไม่มีคำแปล หน้าต่างจะเป็นภาษาอังกฤษ</translation>
    </message>
    <message>
        <source>livedesk</source>
        <translation>livedesk</translation>
    </message>
    <message>
        <source>The built-in server with the demo data could not start. Start livedesk with --url to work with another server.

Details: %1</source>
        <translation>เซิร์ฟเวอร์ในตัวพร้อมข้อมูลสาธิตเริ่มทำงานไม่ได้ เริ่ม livedesk ด้วย --url เพื่อใช้งานกับเซิร์ฟเวอร์อื่น

รายละเอียด: %1</translation>
    </message>
    <message>
        <source>built-in server</source>
        <translation>เซิร์ฟเวอร์ในตัว</translation>
    </message>
</context>
</TS>
