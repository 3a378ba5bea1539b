"""Hugging Face Trainer: a tiny BigBird-Pegasus encoder-decoder classifier
(``BigBirdPegasusConfig``: vocabulary 20, d_model 32, 1 encoder and 1 decoder layer, 2 heads,
full attention, built from the config, no download) reads a sugarbush's 14-day weather diary as
one token per day (hard frost, light frost, mild, warm, rain, snow, wind, overcast, ...) and
calls the sap run the sugar maker can expect that fortnight: none, a run, or a heavy run. Sap
flows after a freeze-thaw swing, a frost night followed by a warm day: no swing → none, one →
a run, two or more → heavy. Filler days never make a swing on their own; 4 % of the labels are
wrong (the sugar maker's notebook). The diary ends in an end-of-text token.
AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 8 epochs of 768 diaries, eval every
24 steps (one eval per epoch), loss every 6 steps.
Healthy: eval accuracy 0.745, 0.69, 0.91, 0.97, 1.00, 0.995, 1.00, 1.00 at steps 24–192 (a dip
at the second eval), eval loss 0.57, 0.45, 0.50, 0.27, 0.14 ... 0.06; the train loss stays
above it (0.15–0.23 in the last epoch: the wrong labels)."""
import torch
from transformers import (
    BigBirdPegasusConfig,
    BigBirdPegasusForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T, EOS = 20, 15, 2
FROST, WARM = (3, 4), (5, 6)
FILLER = list(range(7, 20))


def diaries(n, g, flip=0.0):
    x = torch.tensor(FILLER)[torch.randint(0, len(FILLER), (n, T), generator=g)]
    swings = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        free = list(range(0, T - 2, 3))
        pick = torch.randperm(len(free), generator=g)[:int(swings[i])].tolist()
        for p in pick:
            x[i, free[p]] = FROST[int(torch.randint(0, 2, (1,), generator=g))]
            x[i, free[p] + 1] = WARM[int(torch.randint(0, 2, (1,), generator=g))]
        lone = int(torch.randint(0, T - 1, (1,), generator=g))  # a frost with no thaw after it
        if x[i, lone] in FILLER and (lone == 0 or x[i, lone - 1] in FILLER) \
                and x[i, lone + 1] in FILLER:
            x[i, lone] = FROST[0]
    x[:, -1] = EOS
    y = swings.clamp(max=2)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Diaries(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = BigBirdPegasusConfig(vocab_size=V, d_model=32, encoder_layers=1, decoder_layers=1,
                                  encoder_attention_heads=2, decoder_attention_heads=2,
                                  encoder_ffn_dim=64, decoder_ffn_dim=64,
                                  max_position_embeddings=32, attention_type="original_full",
                                  pad_token_id=0, bos_token_id=1, eos_token_id=EOS,
                                  decoder_start_token_id=EOS, num_labels=3,
                                  id2label={0: "none", 1: "run", 2: "heavy_run"},
                                  label2id={"none": 0, "run": 1, "heavy_run": 2})
    return BigBirdPegasusForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = diaries(768, g, flip=0.04)
    xva, yva = diaries(192, g)
    print("runs", torch.bincount(ytr, minlength=3).tolist())
    args = TrainingArguments(str(out / "sugarbush"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=96, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Diaries(xtr, ytr),
                      eval_dataset=Diaries(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "sugarbush").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BigBird-Pegasus sap-run classifier over a 14-day weather diary, HF Trainer,"
                " 4 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
