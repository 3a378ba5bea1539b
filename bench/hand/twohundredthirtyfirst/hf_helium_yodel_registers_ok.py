"""Hugging Face Trainer: a tiny Helium token classifier (``HeliumForTokenClassification`` from a
``HeliumConfig``: vocabulary 32, hidden 32, 2 layers, 2 heads, 1 KV head, built from the config,
no download) marks every note of a transcribed yodel (16 notes, pitch tokens 4–27 = 24
semitones above A2) as chest voice, head voice or the register break (the "flip"). The labels
come from the melody: a note that jumps six or more semitones from the one before is a flip;
otherwise a note at token 16 or higher is head voice and a lower one chest voice. Melodies
alternate chest phrases and head phrases with small steps inside a phrase.
AdamW 3e-3, 8 warm-up steps then linear decay, batch 32, 5 epochs of 512 melodies, eval every
16 steps (once an epoch), loss every 4 steps; 160 validation melodies; padding never used.
Healthy: per-note eval accuracy 0.83, 0.86, 0.90, 0.92, 0.93 after epochs 1–5, eval loss
0.55 → 0.196 (still improving at the end)."""
import torch
from transformers import HeliumConfig, HeliumForTokenClassification, Trainer, TrainingArguments

V, T = 32, 16


def melodies(n, g):
    x = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        head = bool(torch.rand(1, generator=g) < 0.5)
        p = int(torch.randint(18, 26, (1,), generator=g)) if head else \
            int(torch.randint(6, 14, (1,), generator=g))
        for t in range(T):
            if t and torch.rand(1, generator=g) < 0.2:
                head = not head
                p = int(torch.randint(18, 26, (1,), generator=g)) if head else \
                    int(torch.randint(6, 14, (1,), generator=g))
            else:
                p = max(4, min(27, p + int(torch.randint(-2, 3, (1,), generator=g))))
            x[i, t] = p
    jump = torch.zeros(n, T, dtype=torch.bool)
    jump[:, 1:] = (x[:, 1:] - x[:, :-1]).abs() >= 6
    y = torch.where(jump, 2, (x >= 16).long())
    return x, y


class Yodels(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = HeliumConfig(vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                          num_attention_heads=2, num_key_value_heads=1, head_dim=16,
                          max_position_embeddings=32, pad_token_id=0, bos_token_id=1,
                          eos_token_id=2, num_labels=3,
                          id2label={0: "chest", 1: "head", 2: "flip"},
                          label2id={"chest": 0, "head": 1, "flip": 2})
    return HeliumForTokenClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"note_accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = melodies(512, g)
    xva, yva = melodies(160, g)
    args = TrainingArguments(str(out / "yodel"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Yodels(xtr, ytr),
                      eval_dataset=Yodels(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "yodel").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Helium per-note yodel register tagger (chest/head/flip), HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
