"""Hugging Face Trainer: a tiny Mistral 4 text classifier (``Mistral4Config``: vocabulary 32,
hidden 32, 2 layers, 2 heads, MLA attention with kv-lora rank 16, 4 routed experts + 1 shared,
2 per token, built from the config, no download) reads the last 20 events of an elevator
controller's event log (hall call, car call, door open, door close, door reopen, stop at
floor, relevel, brake lift, brake drop, run up, run down, ...) and says which service ticket
the technician should open: none (normal traffic), door operator (close → reopen → close
cycles) or levelling (stop → relevel → relevel). The deciding pattern sits at a random spot
among ordinary traffic events; 5 % of the labels are wrong (tickets filed under the wrong code).
AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of 640 logs, eval every 20
steps (once an epoch), loss every 5 steps.
Healthy: eval accuracy 0.724, 0.891, 1.00, 1.00, 0.995, 1.00 at steps 20–120 (one eval per
epoch), eval loss 0.75 → 0.047; the train loss stays at 0.17–0.27 over the last 3 epochs,
above the eval loss (the 5 % wrong labels). transformers warns on stderr that the default
YaRN RoPE factor does not match max_position_embeddings (harmless at 20 tokens)."""
import torch
from transformers import (
    Mistral4Config,
    Mistral4ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 32, 20
TRAFFIC = list(range(3, 14))  # hall/car calls, door open/close, stop, run up/down, brake lift/drop
DOOR = [14, 15, 16]           # door close, door reopen (safety edge), door close
LEVEL = [17, 18, 18]          # stop at floor, relevel, relevel


def logs(n, g, flip=0.0):
    x = torch.tensor(TRAFFIC)[torch.randint(0, len(TRAFFIC), (n, T), generator=g)]
    y = torch.randint(0, 3, (n,), generator=g)
    pos = torch.randint(1, T - 3, (n,), generator=g)
    for i in range(n):
        if y[i] == 1:
            x[i, pos[i]:pos[i] + 3] = torch.tensor(DOOR)
        elif y[i] == 2:
            x[i, pos[i]:pos[i] + 3] = torch.tensor(LEVEL)
        if torch.rand(1, generator=g) < 0.5:  # a lone reopen or relevel happens in normal service
            j = int(torch.randint(1, T, (1,), generator=g))
            if j < pos[i] - 1 or j > pos[i] + 3:
                x[i, j] = 15 if torch.rand(1, generator=g) < 0.5 else 18
    x[:, 0] = 1  # log header token
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class EventLogs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Mistral4Config(vocab_size=V, hidden_size=32, intermediate_size=64,
                            moe_intermediate_size=32, num_hidden_layers=2,
                            num_attention_heads=2, num_key_value_heads=2, n_shared_experts=1,
                            n_routed_experts=4, num_experts_per_tok=2, kv_lora_rank=16,
                            q_lora_rank=None, qk_rope_head_dim=8, qk_nope_head_dim=8,
                            v_head_dim=16, max_position_embeddings=64, pad_token_id=0,
                            bos_token_id=1, eos_token_id=2, num_labels=3,
                            id2label={0: "none", 1: "door_operator", 2: "levelling"},
                            label2id={"none": 0, "door_operator": 1, "levelling": 2})
    return Mistral4ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = logs(640, g, flip=0.05)
    xva, yva = logs(192, g)
    args = TrainingArguments(str(out / "tickets"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=EventLogs(xtr, ytr),
                      eval_dataset=EventLogs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mistral 4 (MLA + MoE) elevator event-log ticket classifier, HF Trainer,"
                " 5 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
