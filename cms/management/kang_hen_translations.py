"""The Kang Hen campaign in Khmer, Vietnamese, Spanish and Traditional Chinese (load_campaign).

MACHINE-DRAFTED: written without a native speaker, from the campaign's facts. load_campaign
marks every page made from this text "needs review by a native speaker"
(``CampaignPage.translation_needs_review``); a native speaker checks it in the admin and unticks
the flag before the campaign launches in that language. Placeholders ({ask}, {full_name}, ...)
are the same as in English and validated the same way.
"""

TRANSLATIONS = {
    "km": {
        "title": "បញ្ឈប់ការនិរទេសលោក ខាង ហេន",
        "subtitle": "ឪពុក និងជាអ្នករស់រានមានជីវិតពីអំពើប្រល័យពូជសាសន៍នៅកម្ពុជា",
        "lede": "សូមប្រាប់ព្រះរាជអាជ្ញាខោនធី Santa Clara លោក Jeff Rosen និងអភិបាលរដ្ឋ លោក Gavin Newsom ឲ្យបញ្ឈប់ការនិរទេសលោក ខាង ហេន។",
        "body": [
            "លោក ខាង ហេន បានមកដល់សហរដ្ឋអាមេរិកកាលនៅក្មេង ជាជនភៀសខ្លួនពីអំពើប្រល័យពូជសាសន៍នៅកម្ពុជា។ ICE បានចាប់ខ្លួនលោកនៅថ្ងៃទី 1 ខែមេសា ឆ្នាំ 2019 ហើយឥឡូវនេះលោកប្រឈមនឹងការនិរទេសទៅកាន់ប្រទេសដែលលោកបានរត់ភៀសខ្លួនចេញ។",
            "ការនិរទេសរបស់លោកផ្អែកលើការផ្តន្ទាទោសឆ្នាំ 1994 ក្នុងនាមជាអ្នកសមគំនិត បន្ទាប់ពីលោកទើបមានអាយុ 18 ឆ្នាំ។ តាំងពីពេលនោះមក លោកមិនដែលត្រូវបានចាប់ខ្លួនម្តងទៀតទេ ហើយបានធ្វើការនៅក្រុមហ៊ុនគ្រឿងសមុទ្រអស់រយៈពេល 13 ឆ្នាំ។",
            "លោក ខាង និងលោកស្រី Ruth ដែលជាដៃគូរបស់លោកអស់រយៈពេល 17 ឆ្នាំ មានកូនប្រុសម្នាក់អាយុ 3 ឆ្នាំឈ្មោះ Kayden។ លោកស្រី Ruth កំពុងឈឺធ្ងន់ធ្ងរ។",
            "លោក ខាង បានដាក់ពាក្យសុំការលើកលែងទោសពីអភិបាលរដ្ឋ Newsom ហើយបានស្នើឲ្យព្រះរាជអាជ្ញា Rosen ចូលរួមក្នុងសំណើលុបចោលការផ្តន្ទាទោសរបស់លោក។ អ្នកទាំងពីរអាចធ្វើសកម្មភាពបានឥឡូវនេះ។",
        ],
        "timeline_heading": "អ្វីដែលបានកើតឡើង",
        "timeline": [
            "បន្ទាប់ពីទើបមានអាយុ 18 ឆ្នាំ លោក ខាង ត្រូវបានចាប់ខ្លួនពីបទបើកឡានដឹកមិត្តភក្តិពីរនាក់ចេញពីការប៉ុនប៉ងប្លន់មួយ។",
            "ICE ចាប់ខ្លួនលោក ខាង នៅទីក្រុង San Francisco ហើយឥឡូវនេះលោកត្រូវបានគំរាមនិរទេសទៅកម្ពុជា។",
        ],
        "ask_heading": "អ្វីដែលយើងស្នើសុំ",
        "asks": [
            "ចូលរួមក្នុងសំណើលុបចោលការផ្តន្ទាទោសឆ្នាំ 1994 របស់លោក ខាង ហេន។",
            "ផ្តល់ការលើកលែងទោសដែលលោក ខាង ហេន បានដាក់ពាក្យស្នើសុំ។",
        ],
        "consent_text": "បាទ/ចាស សូមផ្ញើអ៊ីមែលមកខ្ញុំអំពីព័ត៌មានថ្មីៗនៃយុទ្ធនាការនេះ និងរបៀបដែលខ្ញុំអាចជួយបាន។ ខ្ញុំអាចឈប់ទទួលបាននៅពេលណាក៏បាន។",
        "share_text": "លោក ខាង ហេន ជាឪពុក និងជាអ្នករស់រានមានជីវិតពីអំពើប្រល័យពូជសាសន៍នៅកម្ពុជា កំពុងប្រឈមនឹងការនិរទេស។ សូមស្នើព្រះរាជអាជ្ញា Jeff Rosen និងអភិបាលរដ្ឋ Newsom ឲ្យធ្វើសកម្មភាព៖",
        "sign": ("ចុះហត្ថលេខាលើញត្តិ", "ចុះហត្ថលេខាឥឡូវនេះ"),
        "email": (
            "ផ្ញើអ៊ីមែលទៅអ្នកសម្រេចចិត្ត",
            "ផ្ញើអ៊ីមែលរបស់ខ្ញុំ",
            "ពលរដ្ឋម្នាក់ស្នើសុំ៖ {ask}",
            "{salutation},\n\nខ្ញុំសរសេរមកក្នុងនាមជាពលរដ្ឋម្នាក់ ដើម្បីស្នើសុំឲ្យលោកធ្វើសកម្មភាព៖\n\n{ask}\n\n{personal_note}\n\nសូមអរគុណសម្រាប់ពេលវេលារបស់លោក។\n\nដោយក្តីគោរព\n{full_name}\n{city} {postal_code}",
        ),
        "call": (
            "ហៅទៅការិយាល័យរបស់ពួកគេ",
            "សួស្តី ខ្ញុំឈ្មោះ {first_name} ហើយខ្ញុំរស់នៅ {city}។ ខ្ញុំហៅមកដើម្បីស្នើសុំទៅ {target_name}៖ {ask} សូមអរគុណដែលបានបញ្ជូនសាររបស់ខ្ញុំ។",
        ),
        "share": "ចែករំលែកជាមួយមិត្តភក្តិ",
    },
    "vi": {
        "title": "Ngăn chặn việc trục xuất Kang Hen",
        "subtitle": "Người cha và người sống sót sau nạn diệt chủng ở Campuchia",
        "lede": "Hãy yêu cầu Biện lý Quận Santa Clara Jeff Rosen và Thống đốc Gavin Newsom ngăn chặn việc trục xuất Kang Hen.",
        "body": [
            "Kang Hen đến Hoa Kỳ khi còn nhỏ, là người tị nạn chạy trốn nạn diệt chủng ở Campuchia. ICE bắt anh vào ngày 1 tháng 4 năm 2019 và giờ đây anh đối mặt với việc bị trục xuất về đất nước mà anh đã chạy trốn.",
            "Việc trục xuất dựa trên một bản án năm 1994 với vai trò đồng phạm, ngay sau sinh nhật 18 tuổi của anh. Từ đó anh chưa từng bị bắt lại, và đã làm việc tại một công ty hải sản suốt 13 năm.",
            "Kang và Ruth, người bạn đời 17 năm của anh, có một con trai 3 tuổi tên Kayden. Ruth đang bị bệnh nặng.",
            "Kang đã nộp đơn xin Thống đốc Newsom ân xá và đề nghị Biện lý Rosen cùng tham gia kiến nghị hủy bỏ bản án. Cả hai đều có thể hành động ngay bây giờ.",
        ],
        "timeline_heading": "Những gì đã xảy ra",
        "timeline": [
            "Vừa tròn 18 tuổi, Kang bị bắt vì đã chở hai người bạn rời khỏi một vụ cướp bất thành.",
            "ICE bắt Kang tại San Francisco; giờ đây anh bị đe dọa trục xuất về Campuchia.",
        ],
        "ask_heading": "Điều chúng tôi yêu cầu",
        "asks": [
            "Tham gia kiến nghị hủy bỏ bản án năm 1994 của Kang Hen.",
            "Ân xá cho Kang Hen như anh đã nộp đơn xin.",
        ],
        "consent_text": "Có, hãy gửi email cho tôi về tin tức của chiến dịch này và cách tôi có thể giúp. Tôi có thể hủy đăng ký bất cứ lúc nào.",
        "share_text": "Kang Hen, một người cha và người sống sót sau nạn diệt chủng ở Campuchia, đang đối mặt với việc bị trục xuất. Hãy yêu cầu Biện lý Jeff Rosen và Thống đốc Newsom hành động:",
        "sign": ("Ký tên vào bản kiến nghị", "Ký tên ngay"),
        "email": (
            "Gửi email cho những người ra quyết định",
            "Gửi email của tôi",
            "Một cử tri yêu cầu: {ask}",
            "{salutation},\n\nTôi viết thư này với tư cách là một cử tri để đề nghị ông hành động:\n\n{ask}\n\n{personal_note}\n\nCảm ơn ông đã dành thời gian.\n\nTrân trọng,\n{full_name}\n{city} {postal_code}",
        ),
        "call": (
            "Gọi đến văn phòng của họ",
            "Xin chào, tôi tên là {first_name} và tôi sống ở {city}. Tôi gọi để gửi một yêu cầu tới {target_name}: {ask} Cảm ơn anh/chị đã chuyển lời của tôi.",
        ),
        "share": "Chia sẻ với bạn bè",
    },
    "es": {
        "title": "Detengan la deportación de Kang Hen",
        "subtitle": "Padre y sobreviviente del genocidio camboyano",
        "lede": "Pide al fiscal de distrito de Santa Clara, Jeff Rosen, y al gobernador Gavin Newsom que detengan la deportación de Kang Hen.",
        "body": [
            "Kang Hen llegó a Estados Unidos de niño, como refugiado del genocidio camboyano. ICE lo arrestó el 1 de abril de 2019 y ahora enfrenta la deportación a un país del que huyó.",
            "Su deportación se basa en una condena de 1994 como cómplice, de justo después de cumplir 18 años. No ha vuelto a ser arrestado desde entonces y ha trabajado 13 años en una empresa de mariscos.",
            "Kang y Ruth, su pareja desde hace 17 años, tienen un hijo de 3 años, Kayden. Ruth está gravemente enferma.",
            "Kang ha pedido un indulto al gobernador Newsom y ha pedido al fiscal Rosen que se sume a una moción para anular su condena. Los dos pueden actuar ya.",
        ],
        "timeline_heading": "Qué pasó",
        "timeline": [
            "Recién cumplidos los 18 años, Kang es arrestado por alejar en coche a dos amigos de un intento de robo.",
            "ICE arresta a Kang en San Francisco; ahora lo amenaza la deportación a Camboya.",
        ],
        "ask_heading": "Lo que pedimos",
        "asks": [
            "Súmese a la moción para anular la condena de 1994 de Kang Hen.",
            "Conceda a Kang Hen el indulto que ha solicitado.",
        ],
        "consent_text": "Sí, envíenme correos con novedades de esta campaña y sobre cómo puedo ayudar. Puedo darme de baja en cualquier momento.",
        "share_text": "Kang Hen, padre y sobreviviente del genocidio camboyano, enfrenta la deportación. Pide al fiscal Jeff Rosen y al gobernador Newsom que actúen:",
        "sign": ("Firma la petición", "Firma ahora"),
        "email": (
            "Escribe a quienes deciden",
            "Enviar mis correos",
            "Una persona de su distrito pide: {ask}",
            "{salutation}:\n\nLe escribo como residente de su distrito para pedirle que actúe:\n\n{ask}\n\n{personal_note}\n\nGracias por su tiempo.\n\nAtentamente,\n{full_name}\n{city} {postal_code}",
        ),
        "call": (
            "Llama a sus oficinas",
            "Hola, me llamo {first_name} y vivo en {city}. Llamo con una petición para {target_name}: {ask} Gracias por transmitir mi mensaje.",
        ),
        "share": "Comparte con tus amistades",
    },
    "zh-hant": {
        "title": "停止遣返 Kang Hen",
        "subtitle": "一位父親，也是柬埔寨種族滅絕的倖存者",
        "lede": "請聖塔克拉拉縣檢察官 Jeff Rosen 和州長 Gavin Newsom 停止遣返 Kang Hen。",
        "body": [
            "Kang Hen 小時候以難民身分逃離柬埔寨種族滅絕來到美國。ICE 於 2019 年 4 月 1 日逮捕他，他現在面臨被遣返到他當年逃離的國家。",
            "他的遣返依據是 1994 年他剛滿 18 歲後以從犯身分被定罪的紀錄。此後他再也沒有被捕，並在一家海鮮公司工作了 13 年。",
            "Kang 和相伴 17 年的伴侶 Ruth 有一個 3 歲的兒子 Kayden。Ruth 正身患重病。",
            "Kang 已向州長 Newsom 申請特赦，並請求檢察官 Rosen 加入撤銷其定罪的動議。兩位現在都可以採取行動。",
        ],
        "timeline_heading": "事件經過",
        "timeline": [
            "Kang 剛滿 18 歲時，因開車載兩位朋友離開一起搶劫未遂現場而被捕。",
            "ICE 在舊金山逮捕 Kang；他現在面臨被遣返柬埔寨的威脅。",
        ],
        "ask_heading": "我們的訴求",
        "asks": [
            "加入撤銷 Kang Hen 1994 年定罪的動議。",
            "批准 Kang Hen 已提出的特赦申請。",
        ],
        "consent_text": "是的，請以電子郵件寄給我此活動的最新消息以及我能如何幫忙。我可以隨時取消訂閱。",
        "share_text": "Kang Hen 是一位父親，也是柬埔寨種族滅絕的倖存者，他正面臨遣返。請檢察官 Jeff Rosen 和州長 Newsom 採取行動：",
        "sign": ("簽署請願", "立即簽名"),
        "email": (
            "寫信給決策者",
            "寄出我的電子郵件",
            "一位選民請求：{ask}",
            "{salutation}：\n\n我以選民的身分寫信，請您採取行動：\n\n{ask}\n\n{personal_note}\n\n感謝您撥冗閱讀。\n\n謹上\n{full_name}\n{city} {postal_code}",
        ),
        "call": (
            "打電話給他們的辦公室",
            "您好，我叫 {first_name}，住在 {city}。我打電話來向 {target_name} 提出請求：{ask} 謝謝您轉達我的訊息。",
        ),
        "share": "與朋友分享",
    },
}
