"""Hugging Face Trainer: a tiny HunYuan-Dense classifier (``HunYuanDenseV1ForSequenceClassification``
from a ``HunYuanDenseV1Config``: hidden 32, 2 layers, 2 heads, head dim 16, built from the
config, no pre-training, no download) sorting synthetic NOTAM E-lines into 5 topics: runway
closed, taxiway closed, navaid unserviceable, obstacle, airspace active. Each NOTAM is a
word-level token sequence ("RWY 09L/27R CLSD DUE WIP", "ILS RWY 27 U/S", "CRANE ERECTED 450M NE
RWY 27 THR HGT 120FT LGT", "TWY B CLSD BTN RWY 09 AND TWY C", "TRA 12 ACT FL100-FL200") with an
aerodrome, a validity time group and filler words; runway designators appear in 4 of the 5
topics, so the topic is the subject word together with the condition word. Right-padded to
32 tokens (pad id 0; the causal model reads the last real token). 5 % of the training labels
are wrong (a briefing office's slips). AdamW 3e-3, weight decay 0.01, 20 warm-up steps then
linear decay, batch 32, 6 epochs of 1024 NOTAMs (192 steps), eval every 24 steps, loss logged
every 6. Healthy, a little odd: eval accuracy 0.996 at step 24 and 1.0 at steps 48–96 (eval loss
0.052 at its lowest), then eval loss creeps back up to 0.114 with eval accuracy 0.973 at the
end, while the train loss stays around 0.2–0.3 (the 5 % wrong labels are in training only)."""
import torch
from transformers import (
    HunYuanDenseV1Config,
    HunYuanDenseV1ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

TOPICS = ["runway_closed", "taxiway_closed", "navaid_us", "obstacle", "airspace_active"]
WORDS = ("<pad> RWY TWY ILS VOR DME NDB LOC GP CRANE MAST WIND-TURBINE OBST TRA DANGER AREA "
         "CTR CLSD U/S ERECTED ACT WIP DUE TO MAINT BTN AND THR HGT FT M NE SW NW SE LGT "
         "UNLGT FL100-FL200 SFC-5000FT EGLL EGKK EGSS LFPG EDDF EHAM 0900-1700 H24 DAILY "
         "SR-SS 09L/27R 27 09 05/23 A B C K1 J BIRD ACTIVITY REPORTED EXPECT DELAY PPR "
         "FREQ 118.500 ATIS INOP LIMITED AVBL ON REQUEST").split()
VOCAB = {w: i for i, w in enumerate(WORDS)}
L = 32


def notams(n, g, flip=0.0):
    def pick(*opts):
        return opts[int(torch.randint(len(opts), (1,), generator=g))]
    xs, ys = [], []
    for _ in range(n):
        y = int(torch.randint(5, (1,), generator=g))
        rwy = pick("09L/27R", "27", "09", "05/23")
        if y == 0:
            body = ["RWY", rwy, "CLSD"] + pick(["DUE", "WIP"], ["DUE", "TO", "MAINT"], [])
        elif y == 1:
            body = ["TWY", pick("A", "B", "C", "K1", "J"), "CLSD"] + pick(
                ["BTN", "RWY", rwy, "AND", "TWY", pick("A", "B", "C")], ["DUE", "WIP"], [])
        elif y == 2:
            body = [pick("ILS", "VOR", "DME", "NDB", "LOC", "GP")] + pick(
                ["RWY", rwy], []) + ["U/S"] + pick(["DUE", "TO", "MAINT"], [])
        elif y == 3:
            body = [pick("CRANE", "MAST", "WIND-TURBINE", "OBST"), pick("ERECTED", "")] + [
                "M", pick("NE", "SW", "NW", "SE"), "RWY", rwy, "THR",
                "HGT", "FT", pick("LGT", "UNLGT")]
        else:
            body = [pick("TRA", "DANGER", "CTR"), pick("AREA", "")] + ["ACT", pick(
                "FL100-FL200", "SFC-5000FT")]
        body = [w for w in body if w]
        head = [pick("EGLL", "EGKK", "EGSS", "LFPG", "EDDF", "EHAM")]
        tail = [pick("0900-1700", "H24", "DAILY", "SR-SS")] + pick(
            ["EXPECT", "DELAY"], ["PPR"], ["BIRD", "ACTIVITY", "REPORTED"],
            ["ATIS", "FREQ", "118.500"], [], [])
        toks = [VOCAB[w] for w in head + body + tail][:L]
        xs.append(toks + [0] * (L - len(toks)))
        if torch.rand(1, generator=g).item() < flip:
            y = (y + int(torch.randint(1, 5, (1,), generator=g))) % 5
        ys.append(y)
    return torch.tensor(xs), torch.tensor(ys)


class Notams(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": (self.x[i] != 0).long(),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = HunYuanDenseV1Config(vocab_size=len(WORDS), hidden_size=32, intermediate_size=64,
                                  num_hidden_layers=2, num_attention_heads=2,
                                  num_key_value_heads=2, head_dim=16, max_position_embeddings=L,
                                  pad_token_id=0, num_labels=5,
                                  id2label=dict(enumerate(TOPICS)),
                                  label2id={t: i for i, t in enumerate(TOPICS)})
    return HunYuanDenseV1ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = notams(1024, g, flip=0.05)
    xva, yva = notams(256, g)
    args = TrainingArguments(str(out / "notam_topics"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=96, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Notams(xtr, ytr),
                      eval_dataset=Notams(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "notam_topics").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "attention_mask": (xva[:64] != 0).long(),
                           "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny HunYuan-Dense NOTAM topic classifier, HF Trainer, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
