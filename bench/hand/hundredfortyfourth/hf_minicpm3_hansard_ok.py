"""Hugging Face Trainer: a tiny MiniCPM3 (``MiniCPM3Config``: vocab 64, hidden 32, 2 layers,
2 heads, MLA with q/kv LoRA rank 16, built from the config, no pre-training, no download)
classifies synthetic Hansard speech snippets (24 tokens) by the speaker's bench: government,
opposition or crossbench. Each bench uses its own handful of cue tokens ("the minister will",
"shame", "on a point of order", ...) sprinkled at random positions over a shared vocabulary of
procedural filler; 6 % of the training labels are wrong (misattributed speakers). AdamW 3e-3,
10 warm-up steps then linear decay, batch 32, 6 epochs of 480 snippets, eval every 15 steps.
Healthy, with a slow start (the last token pools the sequence, a decoder): train loss 1.23,
1.22, 1.09 over the first 15 steps, eval accuracy 0.46 at step 15 (epoch 1), then 0.81, 0.89,
0.95, 0.96, 0.96 at step 90, eval loss 0.138, train loss 0.12 at the end (the 6 % wrong labels
sit only in training, so a train loss this low is some memorising; eval still flat, not rising)."""
import torch
from transformers import (
    MiniCPM3Config,
    MiniCPM3ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, L = 64, 24
CUES = {0: [4, 5, 6, 7], 1: [8, 9, 10, 11], 2: [12, 13, 14, 15]}


def speeches(n, g, flip=0.0):
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.randint(16, V, (n, L), generator=g)
    for i in range(n):
        pos = torch.randperm(L, generator=g)[:3]
        cue = torch.tensor(CUES[int(y[i])])[torch.randint(0, 4, (3,), generator=g)]
        x[i, pos] = cue
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Snippets(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = MiniCPM3Config(vocab_size=V, hidden_size=32, num_hidden_layers=2,
                            num_attention_heads=2, num_key_value_heads=2, intermediate_size=64,
                            q_lora_rank=16, kv_lora_rank=16, qk_nope_head_dim=8,
                            qk_rope_head_dim=8, v_head_dim=16, max_position_embeddings=64,
                            num_labels=3, pad_token_id=0,
                            id2label={0: "government", 1: "opposition", 2: "crossbench"},
                            label2id={"government": 0, "opposition": 1, "crossbench": 2})
    return MiniCPM3ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = speeches(480, g, flip=0.06)
    xva, yva = speeches(192, g)
    args = TrainingArguments(str(out / "hansard"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=45, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Snippets(xtr, ytr),
                      eval_dataset=Snippets(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "hansard").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MiniCPM3 Hansard bench classifier, HF Trainer, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
