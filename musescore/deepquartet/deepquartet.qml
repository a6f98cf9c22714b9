// The deepquartet plugin for MuseScore 3 (3.2 to 3.6): regenerate the
// selected bars and staves, harmonize the top staff's melody, or write a new
// piece, with the model of a running `deepquartet serve`. The work itself is
// in deepquartet.js; this file is the window. Its controls are ComboBoxes,
// Buttons and a plain TextInput: Controls 1's TextField and SpinBox crash
// MuseScore 3.2.3 on Debian 12 (Qt 5.15) when the window opens.
import QtQuick 2.2
import QtQuick.Controls 1.4
import QtQuick.Layouts 1.1
import MuseScore 3.0
import FileIO 3.0
import "deepquartet.js" as DQ

MuseScore {
    id: plugin
    version: "1.0"
    description: "deepquartet: regenerate the selection, harmonize a melody or write a new piece in the style of Bach's chorales or a string quartet (needs `deepquartet serve` running)."
    menuPath: "Plugins.deepquartet"
    pluginType: "dialog"
    requiresScore: false
    width: 470
    height: 330

    property var alternatives: null   // the state of the last Regenerate (deepquartet.js)

    FileIO { id: fileIO }

    function context() {
        return { ms: plugin, io: fileIO, server: serverField.text, synchronous: false,
                 status: function (text) { statusLine.text = text; } };
    }

    function options() {
        return { style: styleBox.currentIndex > 0 ? styleBox.currentText : "",
                 temperature: Number(temperatureBox.currentText), alternatives: Number(alternativesBox.currentText),
                 bars: Number(barsBox.currentText), key: keyBox.currentText, meter: meterBox.currentText };
    }

    function busy(on) {
        regenerateButton.enabled = !on;
        harmonizeButton.enabled = !on;
        newPieceButton.enabled = !on;
        nextButton.enabled = !on && alternatives !== null && alternatives.alternatives.length > 1;
        keepButton.enabled = !on && alternatives !== null;
    }

    function finished(error, message) {
        statusLine.text = error ? error : message;
        busy(false);
    }

    function connect() {
        DQ.modelInfo(context(), function (error, model) {
            if (error) { statusLine.text = error; return; }
            var styles = ["(the model's first)"];
            for (var i = 0; i < model.styles.length; ++i) styles.push(model.styles[i]);
            styleBox.model = styles;
            statusLine.text = "Connected: " + model.file + " (" + model.preset + ")";
        });
    }

    onRun: connect()

    GridLayout {
        anchors.fill: parent
        anchors.margins: 10
        columns: 2

        Label { text: "Server" }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: serverField.implicitHeight + 8
            border.color: "#888888"
            TextInput {
                id: serverField
                anchors.fill: parent
                anchors.margins: 4
                text: "http://127.0.0.1:8080"
                selectByMouse: true
                clip: true
                onEditingFinished: connect()
            }
        }

        Label { text: "Style" }
        ComboBox { id: styleBox; model: ["(the model's first)"]; Layout.fillWidth: true }

        Label { text: "Temperature" }
        ComboBox { id: temperatureBox; model: ["0.5", "0.7", "0.8", "0.9", "1.0", "1.1", "1.2", "1.5"]; currentIndex: 4 }

        Label { text: "Alternatives" }
        ComboBox { id: alternativesBox; model: ["1", "2", "3", "4"]; currentIndex: 2 }

        Label { text: "New piece: bars" }
        RowLayout {
            ComboBox { id: barsBox; model: ["4", "8", "12", "16", "24", "32"]; currentIndex: 1 }
            ComboBox {
                id: keyBox
                model: ["C major", "G major", "D major", "A major", "E major", "F major", "Bb major", "Eb major",
                        "A minor", "E minor", "B minor", "F# minor", "D minor", "G minor", "C minor"]
                currentIndex: 2
            }
            ComboBox { id: meterBox; model: ["4/4", "3/4", "2/4", "3/2", "2/2", "6/8", "9/8", "12/8"] }
        }

        RowLayout {
            Layout.columnSpan: 2
            Button {
                id: regenerateButton
                text: "Regenerate"
                tooltip: "Resample the selected bars and staves; the rest of the score is the context"
                onClicked: {
                    busy(true);
                    alternatives = null;
                    DQ.regenerate(context(), options(), function (error, state) {
                        alternatives = state;
                        finished(error, state ? "Alternative 1 of " + state.alternatives.length + ": Next or Keep" : "");
                    });
                }
            }
            Button {
                id: nextButton
                text: "Next"
                enabled: false
                onClicked: {
                    var next = (alternatives.index + 1) % alternatives.alternatives.length;
                    if (DQ.showAlternative(context(), alternatives, next)) {
                        statusLine.text = "Alternative " + (next + 1) + " of " + alternatives.alternatives.length;
                    } else {
                        alternatives = null;
                        finished("The alternative could not be written into the score.", "");
                    }
                }
            }
            Button {
                id: keepButton
                text: "Keep"
                enabled: false
                onClicked: {
                    alternatives = null;
                    finished(null, "Kept (Edit > Undo takes it back).");
                }
            }
        }
        RowLayout {
            Layout.columnSpan: 2
            Button {
                id: harmonizeButton
                text: "Harmonize"
                tooltip: "Alto, tenor and bass for the top staff's melody"
                onClicked: {
                    busy(true);
                    alternatives = null;
                    DQ.harmonize(context(), options(), function (error, result) {
                        finished(error, "Harmonized.");
                    });
                }
            }
            Button {
                id: newPieceButton
                text: "New piece"
                onClicked: {
                    busy(true);
                    alternatives = null;
                    DQ.newPiece(context(), options(), function (error, result) {
                        finished(error, "A new piece is open.");
                    });
                }
            }
        }

        Label {
            id: statusLine
            Layout.columnSpan: 2
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: "Start the server in a terminal: deepquartet serve"
        }
    }
}
