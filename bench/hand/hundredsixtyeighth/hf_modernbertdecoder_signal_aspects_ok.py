"""Hugging Face Trainer: a tiny ModernBERT decoder (``ModernBertDecoderConfig``: vocabulary 20,
hidden 32, 2 layers, 2 heads, built from the config, no download) reads a train's on-board
data-recorder log as 16 event tokens (AWS bell / horn, TPWS, speed board, station stop,
brake step, ... and the aspects of the signals passed: green, double yellow, single yellow)
and says what the *next* signal will show under 4-aspect colour-light signalling: the
last aspect passed decides it (green → clear, double yellow → expect single yellow, single yellow
→ expect red). Each log has 2–4 aspects at random places among filler events; 4 % of the labels
are wrong (hand-keyed). AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 8 epochs of
640 logs, eval every 20 steps (once an epoch), loss every 5 steps.
Healthy: a slow start (eval accuracy 0.46, 0.58 at epochs 1–2: it first learns the aspect
shares), then 0.83, 0.93, 0.995, 0.995, 1.00, 0.990 (steps 20–160, one eval per epoch), eval
loss 1.00 → 0.047; the train loss stays above it (0.09–0.19 at the end; 4 % wrong labels).
Checkpoint ``checkpoint-160/``."""
import torch
from transformers import (
    ModernBertDecoderConfig,
    ModernBertDecoderForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 20, 16
FILLER = list(range(3, 12))
ASPECTS = [12, 13, 14]  # green, double yellow, single yellow


def logs(n, g, flip=0.0):
    x = torch.tensor(FILLER)[torch.randint(0, len(FILLER), (n, T), generator=g)]
    y = torch.empty(n, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(2, 5, (1,), generator=g))
        pos = torch.randperm(T - 1, generator=g)[:k] + 1
        asp = torch.randint(0, 3, (k,), generator=g)
        x[i, pos] = torch.tensor(ASPECTS)[asp]
        y[i] = asp[pos.argmax()]
    x[:, 0] = 1  # log start
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Logs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = ModernBertDecoderConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                                     num_hidden_layers=2, num_attention_heads=2,
                                     max_position_embeddings=64, local_attention=32,
                                     pad_token_id=0, bos_token_id=1, eos_token_id=2,
                                     cls_token_id=1, sep_token_id=2, num_labels=3,
                                     id2label={0: "clear", 1: "expect_caution",
                                               2: "expect_danger"},
                                     label2id={"clear": 0, "expect_caution": 1,
                                               "expect_danger": 2})
    return ModernBertDecoderForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = logs(640, g, flip=0.04)
    xva, yva = logs(192, g)
    args = TrainingArguments(str(out / "aspects"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr, ytr),
                      eval_dataset=Logs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "aspects").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ModernBERT-decoder next-signal-aspect classifier from recorder logs, HF"
                " Trainer, 4 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
